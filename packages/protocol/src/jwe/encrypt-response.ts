import { constants, createCipheriv, createECDH, publicEncrypt, randomBytes } from 'node:crypto'
import { CocoError, ProtocolError } from '../errors.ts'
import { ecCoordinateLength, importTeePubKey, type ImportedTeePubKey } from '../tee-key/tee-pubkey.ts'
import { aes256KeyWrap } from './aes-key-wrap.ts'
import { base64UrlDecode, base64UrlEncode } from './base64url.ts'
import { concatKdfSha256 } from './concat-kdf.ts'
import {
  CEK_LENGTH,
  CONTENT_ENCRYPTION,
  ECDH_ES_A256KW,
  IV_LENGTH,
  RSA_OAEP_256,
  TAG_LENGTH,
  type JweResponse,
} from './jwe-response.ts'

/** SEC 1 uncompressed point prefix: 0x04 || X || Y. */
const UNCOMPRESSED_POINT = Buffer.from([4])

export interface EncryptResponseDeps {
  /** Source of the CEK and IV; defaults to node's CSPRNG. Tests inject fixed bytes. */
  readonly random?: (length: number) => Uint8Array
}

/**
 * KBS side: encrypts a resource to the requester's `tee-pubkey` exactly as Trustee's
 * `kbs/src/jwe/mod.rs` does — A256GCM with a fresh 32-byte CEK and 12-byte IV, tag kept
 * separate, AAD = ASCII of the `protected` member; the CEK wrapped per the key: ECDH-ES+A256KW
 * (EC P-256/P-521), RSA-OAEP-256 or legacy RSA1_5 (RSA). `teePubKey` is the JWK taken from the
 * token claims and is validated here. Every failure is a ProtocolError('JWE_ERROR'), Trustee's
 * `JweError`; a validation failure keeps the original error as `cause`.
 */
export function encryptResponse(
  plaintext: Uint8Array,
  teePubKey: unknown,
  deps: EncryptResponseDeps = {},
): JweResponse {
  const random = deps.random ?? ((length: number) => randomBytes(length))
  let recipient: ImportedTeePubKey
  try {
    recipient = importTeePubKey(teePubKey)
  } catch (cause) {
    const detail = cause instanceof CocoError ? cause.message : 'invalid key'
    throw new ProtocolError('JWE_ERROR', `cannot encrypt to tee-pubkey: ${detail}`, { cause })
  }
  const cek = takeBytes(random, CEK_LENGTH, 'CEK')
  const { header, encryptedKey } = wrapContentKey(recipient, cek)
  const protectedHeader = base64UrlEncode(Buffer.from(header, 'utf8'))
  const iv = takeBytes(random, IV_LENGTH, 'IV')
  const cipher = createCipheriv('aes-256-gcm', cek, iv, { authTagLength: TAG_LENGTH })
  cipher.setAAD(Buffer.from(protectedHeader, 'ascii'))
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return {
    protected: protectedHeader,
    encrypted_key: base64UrlEncode(encryptedKey),
    iv: base64UrlEncode(iv),
    ciphertext: base64UrlEncode(ciphertext),
    tag: base64UrlEncode(cipher.getAuthTag()),
  }
}

function wrapContentKey(recipient: ImportedTeePubKey, cek: Buffer): { header: string; encryptedKey: Buffer } {
  const jwk = recipient.jwk
  if (jwk.kty === 'EC') {
    // The ephemeral key is an ECDH object, not generateKeyPairSync + export({format: 'jwk'}):
    // on Node 20 that export can deadlock the process when a garbage collection during it
    // finalizes the key generation job, which takes the same key's mutex (seen under load in the
    // handshake benchmark, docs/benchmarks.md).
    const size = ecCoordinateLength(jwk.crv)
    const ephemeral = createECDH(jwk.crv === 'P-256' ? 'prime256v1' : 'secp521r1')
    const point = ephemeral.generateKeys()
    const recipientPoint = Buffer.concat([
      UNCOMPRESSED_POINT,
      base64UrlDecode(jwk.x, 'tee-pubkey x'),
      base64UrlDecode(jwk.y, 'tee-pubkey y'),
    ])
    const z = ephemeral.computeSecret(recipientPoint)
    const kek = concatKdfSha256(z, ECDH_ES_A256KW, 256)
    // Member order and spelling are the wire contract (see the reference spec §0.3).
    const header = JSON.stringify({
      alg: ECDH_ES_A256KW,
      enc: CONTENT_ENCRYPTION,
      epk: {
        crv: jwk.crv,
        kty: 'EC',
        x: base64UrlEncode(point.subarray(1, 1 + size)),
        y: base64UrlEncode(point.subarray(1 + size, 1 + 2 * size)),
      },
    })
    return { header, encryptedKey: aes256KeyWrap(kek, cek) }
  }
  const oaep = jwk.alg === RSA_OAEP_256
  const encryptedKey = publicEncrypt(
    oaep
      ? { key: recipient.key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }
      : { key: recipient.key, padding: constants.RSA_PKCS1_PADDING },
    cek,
  )
  return { header: JSON.stringify({ alg: jwk.alg, enc: CONTENT_ENCRYPTION }), encryptedKey }
}

function takeBytes(random: (length: number) => Uint8Array, length: number, what: string): Buffer {
  const bytes = random(length)
  if (bytes.length !== length) {
    throw new ProtocolError('JWE_ERROR', `random source returned ${bytes.length} bytes for the ${what}, not ${length}`)
  }
  return Buffer.from(bytes)
}
