import { createPrivateKey, createPublicKey } from 'node:crypto'
import type { JsonWebKey, KeyObject } from 'node:crypto'
import { OcicryptError } from './ocicrypt-error.ts'

export type JweKeyAlgorithm = 'RSA-OAEP' | 'RSA-OAEP-256' | 'ECDH-ES+A128KW' | 'ECDH-ES+A192KW' | 'ECDH-ES+A256KW'
export const JWE_KEY_ALGORITHMS: readonly JweKeyAlgorithm[] = [
  'RSA-OAEP',
  'RSA-OAEP-256',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
]

/** A key plus the JWE algorithm a JWK asked for (`alg`), if any. */
export interface ParsedKey {
  key: KeyObject
  alg?: JweKeyAlgorithm
}

function asText(input: Uint8Array | string): string {
  return typeof input === 'string' ? input : Buffer.from(input).toString('utf8')
}

function parseJwk(text: string): JsonWebKey | undefined {
  if (!text.trimStart().startsWith('{')) return undefined
  try {
    const jwk: unknown = JSON.parse(text)
    return typeof jwk === 'object' && jwk !== null && !Array.isArray(jwk) ? (jwk as JsonWebKey) : undefined
  } catch {
    return undefined
  }
}

function jwkAlg(jwk: JsonWebKey): JweKeyAlgorithm | undefined {
  const alg = jwk['alg']
  if (alg === undefined) return undefined
  if (typeof alg === 'string' && (JWE_KEY_ALGORITHMS as readonly string[]).includes(alg)) {
    return alg as JweKeyAlgorithm
  }
  throw new OcicryptError('INVALID_KEY', `JWK algorithm ${JSON.stringify(alg)} cannot be used for JWE key wrapping`)
}

function withAlg(key: KeyObject, alg: JweKeyAlgorithm | undefined): ParsedKey {
  return alg === undefined ? { key } : { key, alg }
}

/** Public key as ocicrypt accepts it for `jwe:`: DER SPKI, PEM, or a public JWK. */
export function parsePublicKey(input: Uint8Array | string): ParsedKey {
  const text = asText(input)
  const jwk = parseJwk(text)
  try {
    if (jwk !== undefined) {
      if (jwk['d'] !== undefined) throw new OcicryptError('INVALID_KEY', 'JWK recipient key must be a public key')
      return withAlg(createPublicKey({ key: jwk, format: 'jwk' }), jwkAlg(jwk))
    }
    if (text.includes('-----BEGIN')) return { key: createPublicKey(text) }
    return { key: createPublicKey({ key: Buffer.from(input), format: 'der', type: 'spki' }) }
  } catch (cause) {
    if (cause instanceof OcicryptError) throw cause
    throw new OcicryptError('INVALID_KEY', 'not a public key (DER SPKI, PEM or JWK)', { cause })
  }
}

/** Private key: PEM (PKCS#8, PKCS#1, SEC1; encrypted with `passphrase`), DER PKCS#8/PKCS#1/SEC1, or a private JWK. */
export function parsePrivateKey(input: Uint8Array | string, passphrase?: string): ParsedKey {
  const text = asText(input)
  const jwk = parseJwk(text)
  try {
    if (jwk !== undefined) {
      if (jwk['d'] === undefined) throw new OcicryptError('INVALID_KEY', 'JWK decryption key has no private part')
      return withAlg(createPrivateKey({ key: jwk, format: 'jwk' }), jwkAlg(jwk))
    }
    if (text.includes('-----BEGIN')) {
      return { key: createPrivateKey(passphrase === undefined ? text : { key: text, passphrase }) }
    }
  } catch (cause) {
    if (cause instanceof OcicryptError) throw cause
    throw new OcicryptError('INVALID_KEY', 'private key cannot be parsed', { cause })
  }
  const der = Buffer.from(input)
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      return { key: createPrivateKey({ key: der, format: 'der', type }) }
    } catch {
      // try the next DER container
    }
  }
  throw new OcicryptError('INVALID_KEY', 'not a private key (PEM, DER PKCS#8/PKCS#1/SEC1 or JWK)')
}
