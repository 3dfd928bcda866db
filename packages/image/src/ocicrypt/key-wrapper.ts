/**
 * One key-wrapping scheme, as ocicrypt's `KeyWrapper`: its output is stored base64-encoded in
 * `org.opencontainers.image.enc.keys.<scheme>` (entries joined with `,`).
 */
export interface KeyWrapper {
  /** `jwe`, `provider.<name>`, … */
  readonly scheme: string
  /** Wraps the private layer options JSON; `undefined` when this wrapper has nothing to produce. */
  wrapKey(optsData: Uint8Array): Promise<Uint8Array | undefined>
}

export interface KeyUnwrapper {
  readonly scheme: string
  /**
   * Unwraps one base64-decoded annotation entry back to the private layer options JSON.
   * `undefined` = "not mine" (none of this unwrapper's keys opens it). Throws an OcicryptError
   * when the entry is malformed or the key source failed (KEK fetch, key provider).
   */
  unwrapKey(entry: Uint8Array): Promise<Uint8Array | undefined>
}
