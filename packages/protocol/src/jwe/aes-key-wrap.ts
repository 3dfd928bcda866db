import { createCipheriv, createDecipheriv } from 'node:crypto'
import { ProtocolError } from '../errors.ts'

// RFC 3394 default initial value; OpenSSL's id-aes256-wrap checks it on unwrap.
const DEFAULT_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex')

/** AES-256 key wrap (RFC 3394, JWA `A256KW`) by OpenSSL. */
export function aes256KeyWrap(kek: Uint8Array, key: Uint8Array): Buffer {
  const cipher = createCipheriv('id-aes256-wrap', kek, DEFAULT_IV)
  return Buffer.concat([cipher.update(key), cipher.final()])
}

/** Inverse of {@link aes256KeyWrap}; an integrity-check failure becomes a JWE_ERROR. */
export function aes256KeyUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer {
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) {
    throw new ProtocolError('JWE_ERROR', `wrapped key is ${wrapped.length} bytes; AES key wrap needs 8n bytes, n >= 3`)
  }
  try {
    const decipher = createDecipheriv('id-aes256-wrap', kek, DEFAULT_IV)
    return Buffer.concat([decipher.update(wrapped), decipher.final()])
  } catch (cause) {
    // OpenSSL reports a failed integrity check with an unhelpful message ("unsupported state").
    throw new ProtocolError('JWE_ERROR', 'AES key unwrap failed: wrong key or altered encrypted_key', { cause })
  }
}
