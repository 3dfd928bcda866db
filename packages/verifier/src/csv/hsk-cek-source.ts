import { getCollateral } from '../collateral/get-collateral.ts'
import type { CollateralSource } from '../collateral/collateral-source.ts'
import { VerificationError } from '../verifier.ts'
import type { HskCekOrigin } from './csv-chain.ts'
import type { CsvEvidence } from './csv-evidence.ts'
import { CA_CERT_SIZE, CSV_CERT_SIZE } from './hygon-cert.ts'

/** Hygon KDS chip ids as they appear in serial numbers (e.g. `KPA64911240507`); they end up in paths and URLs. */
export const CHIP_ID = /^[A-Za-z0-9_-]{1,64}$/

export interface HskCek {
  readonly hsk: Uint8Array
  readonly cek: Uint8Array
  readonly origin: HskCekOrigin
}

/**
 * The HSK and CEK for the evidence: from the evidence when it carries them, else the collateral
 * request `hygon-hsk-cek` for the chip (Hygon KDS serves `hsk_cek?snumber=<chip>`: the 832-byte HSK
 * followed by the 2084-byte CEK). Neither: COLLATERAL_UNAVAILABLE naming the chip.
 */
export async function hskCekFor(evidence: CsvEvidence, collateral: CollateralSource | undefined): Promise<HskCek> {
  if (evidence.hskCek !== undefined) return { ...evidence.hskCek, origin: 'evidence' }
  if (!CHIP_ID.test(evidence.chipId)) {
    throw new VerificationError(
      'EVIDENCE_MALFORMED',
      `csv serial_number ${JSON.stringify(evidence.chipId)} is not a chip id`,
    )
  }
  const item = await getCollateral(collateral, { kind: 'hygon-hsk-cek', chipId: evidence.chipId })
  if (item === undefined) {
    throw new VerificationError(
      'COLLATERAL_UNAVAILABLE',
      `csv: the evidence has no HSK/CEK and no collateral holds them for chip ${evidence.chipId} (Hygon KDS hsk_cek?snumber=${evidence.chipId})`,
    )
  }
  if (item.body.length !== CA_CERT_SIZE + CSV_CERT_SIZE) {
    throw new VerificationError(
      'COLLATERAL_INVALID',
      `csv: the HSK/CEK for chip ${evidence.chipId} is ${String(item.body.length)} bytes, expected ${String(CA_CERT_SIZE + CSV_CERT_SIZE)}`,
    )
  }
  return { hsk: item.body.subarray(0, CA_CERT_SIZE), cek: item.body.subarray(CA_CERT_SIZE), origin: 'collateral' }
}
