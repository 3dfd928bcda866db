import { createHash, type X509Certificate } from 'node:crypto'
import type { NvidiaSigner } from './nvidia-cert-chain.ts'

/*
 * Chains a verifier has already validated, so that a GPU attesting again (same chain, same root)
 * costs one report signature instead of five certificate signatures. An entry holds only for times
 * inside every certificate's validity; anything else is validated afresh. Bounded, oldest out.
 */

interface Entry extends NvidiaSigner {
  readonly notBefore: number
  readonly notAfter: number
}

const MAX_ENTRIES = 256

export class VerifiedChainCache {
  readonly #entries = new Map<string, Entry>()

  /** The chain as the evidence carries it (PEM text) under one root. */
  static key(chainPem: string, root: X509Certificate): string {
    const rootHash = createHash('sha256').update(root.raw).digest()
    return createHash('sha256').update(rootHash).update(chainPem).digest('hex')
  }

  get(key: string, at: Date): NvidiaSigner | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined || at.getTime() < entry.notBefore || at.getTime() > entry.notAfter) return undefined
    return entry
  }

  /** Records a chain that validated at some time: it holds wherever all its certificates are valid. */
  set(key: string, chain: readonly X509Certificate[], signer: NvidiaSigner): void {
    const notBefore = Math.max(...chain.map((c) => Date.parse(c.validFrom)))
    const notAfter = Math.min(...chain.map((c) => Date.parse(c.validTo)))
    if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) return
    this.#entries.delete(key)
    this.#entries.set(key, { ...signer, notBefore, notAfter })
    while (this.#entries.size > MAX_ENTRIES) {
      const oldest = this.#entries.keys().next()
      if (oldest.done === true) break
      this.#entries.delete(oldest.value)
    }
  }
}
