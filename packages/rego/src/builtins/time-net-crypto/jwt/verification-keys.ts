import { builtinError } from '../../args.ts'
import { DerError, parseDer } from '../crypto/der.ts'
import { decodePem } from '../crypto/pem.ts'
import { parseSubjectPublicKeyInfo } from '../crypto/public-key.ts'
import { parseCertificate } from '../crypto/x509-certificate.ts'
import type { VerifyKey } from './jws.ts'
import { JwkError, parseJwks } from './jwk.ts'

/** A key to verify with; `alg` and `kid` come from a JWK set and are "" otherwise. */
export interface VerificationKey {
  key: VerifyKey | undefined
  alg: string
  kid: string
}

function derMessage(e: unknown, fallback: string): string {
  return e instanceof DerError && /^(x509|asn1):/.test(e.message) ? e.message : fallback
}

/**
 * OPA's getKeysFromCertOrJWK: a PEM certificate, a PEM public key, or a JWK / JWK set.
 * A PEM block must be the whole input.
 */
export function keysFromCertOrJwk(text: string): VerificationKey[] {
  const { block, rest } = decodePem(Buffer.from(text, 'utf8'))
  if (block) {
    if (rest.length > 0) throw builtinError('extra data after a PEM certificate block')
    if (block.type === 'CERTIFICATE') {
      let key: VerifyKey | undefined
      try {
        const cert = parseCertificate(block.bytes)
        if (cert.raw.length !== block.bytes.length) throw new DerError('x509: trailing data')
        key = cert.publicKey
      } catch (e) {
        if (e instanceof DerError) {
          throw builtinError(`failed to parse a PEM certificate: ${derMessage(e, 'x509: malformed certificate')}`)
        }
        throw e
      }
      return [{ key, alg: '', kid: '' }]
    }
    if (block.type === 'PUBLIC KEY') {
      try {
        const parsed = parseSubjectPublicKeyInfo(parseDer(block.bytes))
        if (!parsed.key) throw new DerError('x509: unknown public key algorithm')
        return [{ key: parsed.key, alg: '', kid: '' }]
      } catch (e) {
        if (e instanceof DerError) {
          throw builtinError(`failed to parse a PEM public key: ${derMessage(e, 'x509: malformed public key')}`)
        }
        throw e
      }
    }
    throw builtinError('failed to extract a Key from the PEM certificate')
  }
  try {
    return parseJwks(text).map((k) => ({ key: k.key, alg: k.alg, kid: k.kid }))
  } catch (e) {
    if (e instanceof JwkError) throw builtinError(`failed to parse a JWK key (set): ${e.message}`)
    throw e
  }
}
