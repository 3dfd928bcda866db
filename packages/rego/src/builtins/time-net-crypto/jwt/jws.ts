import { constants, createHmac, sign, verify, type KeyObject } from 'node:crypto'
import { constantTimeEqual } from '../crypto/hash-builtins.ts'

/** How one JWS "alg" hashes and signs. */
interface JwsAlgorithm {
  family: 'HS' | 'RS' | 'PS' | 'ES' | 'EdDSA'
  hash: string | null
}

export const JWS: Readonly<Record<string, JwsAlgorithm>> = {
  HS256: { family: 'HS', hash: 'sha256' },
  HS384: { family: 'HS', hash: 'sha384' },
  HS512: { family: 'HS', hash: 'sha512' },
  RS256: { family: 'RS', hash: 'sha256' },
  RS384: { family: 'RS', hash: 'sha384' },
  RS512: { family: 'RS', hash: 'sha512' },
  PS256: { family: 'PS', hash: 'sha256' },
  PS384: { family: 'PS', hash: 'sha384' },
  PS512: { family: 'PS', hash: 'sha512' },
  ES256: { family: 'ES', hash: 'sha256' },
  ES384: { family: 'ES', hash: 'sha384' },
  ES512: { family: 'ES', hash: 'sha512' },
  EdDSA: { family: 'EdDSA', hash: null },
}

export type VerifyKey = KeyObject | Buffer

/** A failed verification that is an error in OPA rather than a plain "not verified". */
export class KeyTypeError extends Error {}

function isKeyObject(k: VerifyKey): k is KeyObject {
  return !Buffer.isBuffer(k)
}

/** ECDSA r||s (split in half, as Go does) re-encoded as DER, so any length verifies like Go. */
function ecdsaDer(sig: Uint8Array): Buffer {
  const n = Math.floor(sig.length / 2)
  const int = (b: Uint8Array): Buffer => {
    let i = 0
    while (i < b.length - 1 && b[i] === 0) i++
    let out = Buffer.from(b.subarray(i))
    if (out.length === 0) out = Buffer.from([0])
    if ((out[0] as number) & 0x80) out = Buffer.concat([Buffer.from([0]), out])
    return Buffer.concat([Buffer.from([0x02]), derLength(out.length), out])
  }
  const body = Buffer.concat([int(sig.subarray(0, n)), int(sig.subarray(n))])
  return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body])
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  if (n < 0x100) return Buffer.from([0x81, n])
  return Buffer.from([0x82, n >> 8, n & 0xff])
}

/**
 * Verifies `signature` over `input` with `alg`. Returns false for a signature that does not
 * verify; throws KeyTypeError when the key cannot be used with the algorithm at all.
 */
export function jwsVerify(alg: string, key: VerifyKey, input: Uint8Array, signature: Uint8Array): boolean {
  const a = JWS[alg]
  if (!a) throw new KeyTypeError(`unknown JWS algorithm: ${alg}`)
  if (a.family === 'HS') {
    if (isKeyObject(key)) throw new KeyTypeError('incorrect symmetric key type')
    return constantTimeEqual(
      signature,
      createHmac(a.hash as string, key)
        .update(input)
        .digest(),
    )
  }
  if (!isKeyObject(key) || key.type !== 'public') throw new KeyTypeError('incorrect public key type')
  const type = key.asymmetricKeyType
  try {
    switch (a.family) {
      case 'RS':
        if (type !== 'rsa') throw new KeyTypeError('incorrect public key type')
        return verify(a.hash, input, key, signature)
      case 'PS':
        if (type !== 'rsa') throw new KeyTypeError('incorrect public key type')
        return verify(
          a.hash,
          input,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
          signature,
        )
      case 'ES':
        if (type !== 'ec') throw new KeyTypeError('incorrect public key type')
        return verify(a.hash, input, { key, dsaEncoding: 'der' }, ecdsaDer(signature))
      default:
        if (type !== 'ed25519') throw new KeyTypeError('incorrect public key type')
        return verify(null, input, key, signature)
    }
  } catch (e) {
    if (e instanceof KeyTypeError) throw e
    return false
  }
}

/** Signs `input` with `alg`; ECDSA signatures come out as JWS r||s. */
export function jwsSign(alg: string, key: VerifyKey, input: Uint8Array): Buffer {
  const a = JWS[alg]
  if (!a) throw new KeyTypeError(`unsupported signature algorithm ${alg}`)
  if (a.family === 'HS') {
    if (isKeyObject(key)) throw new KeyTypeError('invalid key type. []byte is required')
    return createHmac(a.hash as string, key)
      .update(input)
      .digest()
  }
  if (!isKeyObject(key) || key.type !== 'private') {
    const want =
      a.family === 'ES' ? '*ecdsa.PrivateKey' : a.family === 'EdDSA' ? 'ed25519.PrivateKey' : '*rsa.PrivateKey'
    throw new KeyTypeError(`invalid key type. ${want} is required`)
  }
  switch (a.family) {
    case 'RS':
      return sign(a.hash, input, key)
    case 'PS':
      return sign(a.hash, input, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN,
      })
    case 'ES':
      return sign(a.hash, input, { key, dsaEncoding: 'ieee-p1363' })
    default:
      return sign(null, input, key)
  }
}
