import { createHash } from 'node:crypto'

/**
 * Concat KDF (NIST SP 800-56A §5.8.1, JWA §4.6.2) with SHA-256, as Trustee and guest-components
 * use it for ECDH-ES+A256KW: AlgorithmID = the `alg` value, PartyUInfo and PartyVInfo empty,
 * SuppPubInfo = key length in bits.
 */
export function concatKdfSha256(z: Uint8Array, algorithmId: string, keyBits: number): Buffer {
  const alg = Buffer.from(algorithmId, 'ascii')
  const otherInfo = Buffer.concat([u32(alg.length), alg, u32(0), u32(0), u32(keyBits)])
  const keyBytes = keyBits / 8
  const rounds = Math.ceil(keyBytes / 32)
  const blocks: Buffer[] = []
  for (let counter = 1; counter <= rounds; counter++) {
    blocks.push(createHash('sha256').update(u32(counter)).update(z).update(otherInfo).digest())
  }
  return Buffer.concat(blocks).subarray(0, keyBytes)
}

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4)
  buffer.writeUInt32BE(value)
  return buffer
}
