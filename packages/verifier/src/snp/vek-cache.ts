import { X509Certificate, createHash } from 'node:crypto'
import { VerificationError } from '../verifier.ts'

/**
 * Parsed VCEK/VLEK certificates by content, so that evidence from the same chip does not parse its
 * certificate (and import its key) on every verification. Only the parse is cached: every check
 * still runs each time. Bounded; the oldest entry goes first.
 */
export interface VekCache {
  certificate(der: Uint8Array): X509Certificate
}

export function createVekCache(limit = 256): VekCache {
  const entries = new Map<string, X509Certificate>()
  return {
    certificate(der) {
      const key = createHash('sha256').update(der).digest('hex')
      const cached = entries.get(key)
      if (cached !== undefined) return cached
      let certificate: X509Certificate
      try {
        certificate = new X509Certificate(der)
      } catch (cause) {
        throw new VerificationError('CERT_CHAIN_INVALID', 'the VCEK/VLEK certificate is malformed', { cause })
      }
      entries.set(key, certificate)
      if (entries.size > limit) entries.delete(entries.keys().next().value as string)
      return certificate
    },
  }
}
