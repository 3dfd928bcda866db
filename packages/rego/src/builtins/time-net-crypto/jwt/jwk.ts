import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto'
import { parseJson } from '../../../value/json.ts'
import { RegoObject, type Value } from '../../../value/value.ts'
import { goJsonSyntaxError } from './go-json.ts'

/** A key from a JWK: node's key object, or the octets of a symmetric ("oct") key. */
export interface Jwk {
  kty: string
  /** The "alg" member, "" when absent. */
  alg: string
  kid: string
  key: KeyObject | Buffer
}

export class JwkError extends Error {}
class UnrecognizedKeyType extends JwkError {}

const KEY_TYPES = new Set(['EC', 'oct', 'RSA', 'OKP'])

/** JWS algorithms OPA knows; keys announcing any other are skipped. */
export const JWS_ALGORITHMS = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'HS256',
  'HS384',
  'HS512',
  'EdDSA',
])

/** Lenient base64 (URL or standard alphabet, padding optional), as the JWK buffers decode. */
function octets(v: Value | undefined): Buffer | undefined {
  if (typeof v !== 'string') return undefined
  return Buffer.from(v, 'base64')
}

function stringMember(o: RegoObject, name: string): string {
  const v = o.get(name)
  return typeof v === 'string' ? v : ''
}

function big(b: Buffer): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + b.toString('hex'))
}

function b64url(n: bigint): string {
  let hex = n.toString(16)
  if (hex.length % 2) hex = '0' + hex
  return Buffer.from(hex, 'hex').toString('base64url')
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let r = 1n
  let b = ((base % mod) + mod) % mod
  let e = exp
  while (e > 0n) {
    if (e & 1n) r = (r * b) % mod
    b = (b * b) % mod
    e >>= 1n
  }
  return r
}

/** RSA private JWKs may omit the CRT values; node needs them, so derive what is missing. */
function completeRsaPrivate(j: JsonWebKey): JsonWebKey {
  if (j.dp && j.dq && j.qi) return j
  const d = big(Buffer.from(j.d ?? '', 'base64url'))
  const p = big(Buffer.from(j.p ?? '', 'base64url'))
  const q = big(Buffer.from(j.q ?? '', 'base64url'))
  return { ...j, dp: b64url(d % (p - 1n)), dq: b64url(d % (q - 1n)), qi: b64url(modPow(q, p - 2n, p)) }
}

function generateKey(o: RegoObject): Jwk {
  const kty = stringMember(o, 'kty')
  const alg = stringMember(o, 'alg')
  const kid = stringMember(o, 'kid')
  const member = (name: string) => octets(o.get(name))
  const has = (name: string) => member(name) !== undefined
  const jwk = (names: string[], extra: JsonWebKey = {}): JsonWebKey => {
    const out: JsonWebKey = { kty, ...extra }
    for (const n of names) {
      const b = member(n)
      if (b) (out as Record<string, string>)[n] = b.toString('base64url')
    }
    return out
  }
  try {
    switch (kty) {
      case 'RSA': {
        if (!has('n') || !has('e')) throw new JwkError('missing mandatory key parameters N or E')
        if (!has('d')) return { kty, alg, kid, key: createPublicKey({ key: jwk(['n', 'e']), format: 'jwk' }) }
        if (!has('p') || !has('q')) throw new JwkError('missing mandatory key parameters D, P or Q')
        const full = completeRsaPrivate(jwk(['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']))
        return { kty, alg, kid, key: createPrivateKey({ key: full, format: 'jwk' }) }
      }
      case 'EC': {
        const crv = stringMember(o, 'crv')
        if (!has('x') || !has('y') || crv === '') throw new JwkError('missing mandatory key parameters X, Y or Crv')
        if (!['P-256', 'P-384', 'P-521'].includes(crv)) throw new JwkError(`invalid curve name ${crv}`)
        if (!has('d')) return { kty, alg, kid, key: createPublicKey({ key: jwk(['x', 'y'], { crv }), format: 'jwk' }) }
        return { kty, alg, kid, key: createPrivateKey({ key: jwk(['x', 'y', 'd'], { crv }), format: 'jwk' }) }
      }
      case 'OKP': {
        const crv = stringMember(o, 'crv')
        if (!has('x') || crv !== 'Ed25519') throw new JwkError(`invalid curve name ${crv}`)
        if (!has('d')) return { kty, alg, kid, key: createPublicKey({ key: jwk(['x'], { crv }), format: 'jwk' }) }
        return { kty, alg, kid, key: createPrivateKey({ key: jwk(['x', 'd'], { crv }), format: 'jwk' }) }
      }
      case 'oct':
        return { kty, alg, kid, key: member('k') ?? Buffer.alloc(0) }
      default:
        throw new UnrecognizedKeyType('unrecognized key type')
    }
  } catch (e) {
    if (e instanceof UnrecognizedKeyType) throw e
    if (e instanceof JwkError) throw new JwkError(`failed to generate key from JWK: ${e.message}`)
    throw new JwkError(`failed to generate key from JWK: ${(e as Error).message}`)
  }
}

function checkMembers(o: RegoObject): void {
  const kty = o.get('kty')
  if (kty !== undefined && kty !== null && (typeof kty !== 'string' || !KEY_TYPES.has(kty))) {
    throw new JwkError('unknown signature algorithm')
  }
}

/**
 * OPA's jwk.ParseString: a JWK set (`{"keys": [...]}`) or a single JWK. Keys whose "alg" OPA
 * does not know are skipped, as current OPA does.
 */
export function parseJwks(text: string): Jwk[] {
  const bytes = Buffer.from(text, 'utf8')
  const syntax = goJsonSyntaxError(bytes)
  if (syntax) throw new JwkError(`failed to unmarshal JWK Set: ${syntax}`)
  const doc = parseJson(text)
  if (!(doc instanceof RegoObject)) {
    throw new JwkError(
      `failed to unmarshal JWK Set: json: cannot unmarshal ${jsonKind(doc)} into Go value of type jwk.RawKeySetJSON`,
    )
  }
  const keys = doc.get('keys')
  if (Array.isArray(keys) && keys.length > 0) {
    const out: Jwk[] = []
    for (const k of keys) {
      if (!(k instanceof RegoObject))
        throw new JwkError('failed to unmarshal JWK Set: json: cannot unmarshal into Go struct')
      try {
        checkMembers(k)
      } catch (e) {
        throw new JwkError(`failed to unmarshal JWK Set: ${(e as Error).message}`)
      }
      const alg = stringMember(k, 'alg')
      if (alg !== '' && !JWS_ALGORITHMS.has(alg)) continue
      out.push(generateKeyWrapped(k))
    }
    return out
  }
  try {
    checkMembers(doc)
  } catch (e) {
    throw new JwkError(`failed to unmarshal JWK: ${(e as Error).message}`)
  }
  return [generateKeyWrapped(doc)]
}

function generateKeyWrapped(o: RegoObject): Jwk {
  try {
    return generateKey(o)
  } catch (e) {
    throw new JwkError(`failed to generate key: ${(e as Error).message}`)
  }
}

function jsonKind(v: Value): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  return typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : 'number'
}
