import { builtinError } from '../../args.ts'
import { DerError } from './der.ts'

/**
 * Runs a parse step, turning DER errors into builtin errors. Messages already in Go's words
 * ("x509: ...", "asn1: ...", "tls: ...") pass through; anything else becomes `fallback`.
 */
export function goX509<T>(f: () => T, fallback = 'x509: malformed certificate'): T {
  try {
    return f()
  } catch (e) {
    if (e instanceof DerError) {
      throw builtinError(/^(x509|asn1|tls):/.test(e.message) ? e.message : fallback)
    }
    throw e
  }
}
