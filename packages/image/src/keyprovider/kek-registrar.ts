import { KbsClientError, createKbsAdminClient, mintAdminToken } from '@carapace/kbs-client'
import type { Fetch } from '@carapace/kbs-client'
import { KeyProviderError } from './keyprovider-error.ts'

/** Stores a KEK as a KBS resource before its wrapped key is handed out. */
export interface KekRegistrar {
  /** `path` is `<repository>/<type>/<tag>`; rejects with KBS_REGISTER_FAILED. */
  register(path: string, kek: Uint8Array): Promise<void>
}

export interface KbsKekRegistrarOptions {
  /** KBS base URL, e.g. `https://kbs.example:8080`. */
  url: string
  /** PEM of the KBS admin private key (Ed25519, P-256 or RSA); tokens are minted per call. */
  adminKeyPem: string
  fetch?: Fetch
  /** Milliseconds since the epoch, for the token's iat/exp. */
  now?: () => number
  /** Token lifetime; default 300 s (one call needs seconds, not coco_keyprovider's 2 h). */
  tokenTtlSeconds?: number
}

/** `POST /kbs/v0/resource/<path>` with an admin bearer token, as coco_keyprovider's `--kbs` does. */
export function kbsKekRegistrar(options: KbsKekRegistrarOptions): KekRegistrar {
  // Fail at start-up, not on the first image, when the admin key is unusable.
  try {
    mintAdminToken(options.adminKeyPem, { ttlSeconds: options.tokenTtlSeconds ?? 300 })
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause)
    throw new KeyProviderError('INVALID_CONFIG', `KBS admin key for ${options.url}: ${detail}`, { cause })
  }
  return {
    async register(path, kek) {
      try {
        const token = mintAdminToken(options.adminKeyPem, {
          ttlSeconds: options.tokenTtlSeconds ?? 300,
          ...(options.now === undefined ? {} : { now: options.now }),
        })
        const admin = createKbsAdminClient({
          url: options.url,
          token,
          ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
        })
        await admin.setResource(path, kek)
      } catch (cause) {
        const detail = cause instanceof KbsClientError ? `${cause.code}: ${cause.message}` : String(cause)
        throw new KeyProviderError(
          'KBS_REGISTER_FAILED',
          `cannot register the KEK as KBS resource ${path} at ${options.url} (${detail})`,
          { cause },
        )
      }
    },
  }
}
