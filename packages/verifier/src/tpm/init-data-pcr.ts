import { createHash } from 'node:crypto'
import { bytesEqual } from '../evidence-json.ts'
import { VerificationError } from '../verifier.ts'

/** The PCR the guest extends with the init-data digest. */
export const INIT_DATA_PCR = 8

/** PCR8 after one SHA-256 extend of the init-data digest from its reset value (32 zero bytes). */
export function initDataPcrValue(initDataDigest: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(Buffer.alloc(32)).update(initDataDigest).digest())
}

/** With an init-data digest expected, PCR8 must hold exactly its single extend; `INIT_DATA_MISMATCH` otherwise. */
export function checkInitDataPcr(pcrs: ReadonlyMap<number, Uint8Array>, initDataDigest: Uint8Array | undefined): void {
  if (initDataDigest === undefined) return
  if (initDataDigest.length !== 32) {
    throw new VerificationError(
      'INIT_DATA_MISMATCH',
      `the TPM binds a 32-byte (SHA-256) init-data digest, got ${String(initDataDigest.length)} bytes`,
    )
  }
  const pcr8 = pcrs.get(INIT_DATA_PCR)
  if (pcr8 === undefined) throw new VerificationError('INIT_DATA_MISMATCH', 'TPM quote does not cover PCR8')
  if (!bytesEqual(pcr8, initDataPcrValue(initDataDigest))) {
    throw new VerificationError('INIT_DATA_MISMATCH', 'TPM PCR8 is not the extend of the expected init-data digest')
  }
}
