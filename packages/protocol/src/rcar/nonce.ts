import { ProtocolError } from '../errors.ts'

export const NONCE_BYTES = 32

/** A challenge nonce: 32 bytes from `random`, standard base64 with padding (44 characters). */
export function newNonce(random: (size: number) => Uint8Array): string {
  const bytes = random(NONCE_BYTES)
  if (bytes.length !== NONCE_BYTES) {
    throw new ProtocolError('MALFORMED', `nonce: random source returned ${String(bytes.length)} bytes, not 32`)
  }
  return Buffer.from(bytes).toString('base64')
}
