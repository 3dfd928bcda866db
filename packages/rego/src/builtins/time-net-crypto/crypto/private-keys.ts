import { createPrivateKey, type JsonWebKey, type KeyObject } from 'node:crypto'
import { builtinError } from '../../args.ts'
import { Base64Error, decodeStdBase64 } from './go-base64.ts'
import type { GoJson } from './go-value.ts'
import { decodePem } from './pem.ts'

/** A private key as node holds it, with its PEM/DER format of origin. */
export interface PrivateKey {
  key: KeyObject
  jwk: JsonWebKey
}

type DerFormat = 'pkcs1' | 'pkcs8' | 'sec1'

/** Parses DER private key bytes in one format; undefined when they are not that format. */
export function tryPrivateKey(der: Buffer, format: DerFormat): PrivateKey | undefined {
  try {
    const key = createPrivateKey({ key: der, format: 'der', type: format })
    if (format === 'pkcs1' && key.asymmetricKeyType !== 'rsa') return undefined
    if (format === 'sec1' && key.asymmetricKeyType !== 'ec') return undefined
    return { key, jwk: key.export({ format: 'jwk' }) }
  } catch {
    return undefined
  }
}

const GO_PARSE_ERRORS: Readonly<Record<DerFormat, string>> = {
  pkcs1: 'x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)',
  pkcs8: 'x509: failed to parse private key (use ParsePKCS1PrivateKey instead for this key format)',
  sec1: 'x509: failed to parse EC private key',
}

function b64urlToBig(s: string | undefined): bigint {
  if (s === undefined || s === '') return 0n
  return BigInt('0x' + (Buffer.from(s, 'base64url').toString('hex') || '0'))
}

/** A private key as Go's encoding/json writes *rsa.PrivateKey, *ecdsa.PrivateKey or ed25519.PrivateKey. */
export function privateKeyGoJson(k: PrivateKey): GoJson {
  const j = k.jwk
  switch (j.kty) {
    case 'RSA':
      return {
        N: b64urlToBig(j.n),
        E: b64urlToBig(j.e),
        D: b64urlToBig(j.d),
        Primes: [b64urlToBig(j.p), b64urlToBig(j.q)],
        Precomputed: { Dp: b64urlToBig(j.dp), Dq: b64urlToBig(j.dq), Qinv: b64urlToBig(j.qi), CRTValues: [] },
      }
    case 'EC':
      return { Curve: {}, X: b64urlToBig(j.x), Y: b64urlToBig(j.y), D: b64urlToBig(j.d) }
    case 'OKP':
      return Buffer.concat([Buffer.from(j.d ?? '', 'base64url'), Buffer.from(j.x ?? '', 'base64url')])
    default:
      return null
  }
}

/**
 * OPA's getPrivateKeysFromPEMData: the input may itself be base64 of PEM; every RSA PRIVATE KEY,
 * PRIVATE KEY and EC PRIVATE KEY block is parsed, other blocks are skipped, and a block that
 * fails to parse is an error.
 */
export function privateKeysFromPem(text: string): PrivateKey[] {
  let data: Buffer = Buffer.from(text, 'utf8')
  try {
    data = decodeStdBase64(text)
  } catch (e) {
    if (!(e instanceof Base64Error)) throw e
  }
  const keys: PrivateKey[] = []
  let rest: Buffer = data
  while (rest.length > 0) {
    const inputLen = rest.length
    const { block, rest: next } = decodePem(rest)
    rest = next
    if (!block && rest.length === 0) break
    if (inputLen === rest.length) break
    if (!block) continue
    const format: DerFormat | undefined =
      block.type === 'RSA PRIVATE KEY'
        ? 'pkcs1'
        : block.type === 'PRIVATE KEY'
          ? 'pkcs8'
          : block.type === 'EC PRIVATE KEY'
            ? 'sec1'
            : undefined
    if (!format) continue
    const key = tryPrivateKey(block.bytes, format)
    if (!key) throw builtinError(GO_PARSE_ERRORS[format])
    keys.push(key)
  }
  return keys
}
