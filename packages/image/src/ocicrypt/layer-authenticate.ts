import { createHmac, timingSafeEqual } from 'node:crypto'
import { HMAC_BYTES, SYMKEY_BYTES } from './layer-options.ts'
import { OcicryptError } from './ocicrypt-error.ts'

/** What authenticates a layer: the layer key (privopts `symkey`) and the HMAC pubopts announces. */
export interface LayerAuthenticationKey {
  readonly symkey: Uint8Array
  readonly hmac: Uint8Array
}

/**
 * Pass 1 of a verify-first pull: reads the whole ciphertext once and checks HMAC-SHA256(symkey,
 * ciphertext) against the announced value in constant time. Nothing is decrypted: the HMAC is over
 * the ciphertext, so a tampered blob is refused before any plaintext exists. An error of the input
 * itself (digest mismatch, network) passes through unchanged. Returns the number of bytes read.
 */
export async function authenticateLayer(
  ciphertext: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  key: LayerAuthenticationKey,
): Promise<number> {
  if (key.symkey.length !== SYMKEY_BYTES) {
    throw new OcicryptError('INVALID_OPTION', `layer key must be ${SYMKEY_BYTES} bytes`)
  }
  if (key.hmac.length !== HMAC_BYTES) throw new OcicryptError('INVALID_OPTION', 'expected HMAC must be 32 bytes')
  const hmac = createHmac('sha256', key.symkey)
  let bytes = 0
  for await (const chunk of ciphertext) {
    hmac.update(chunk)
    bytes += chunk.length
  }
  const actual = hmac.digest()
  if (!timingSafeEqual(actual, key.hmac)) {
    throw new OcicryptError(
      'HMAC_MISMATCH',
      `layer ciphertext does not authenticate (${bytes} bytes read): exp hmac '${Buffer.from(key.hmac).toString('hex')}', actual hmac '${actual.toString('hex')}'`,
    )
  }
  return bytes
}
