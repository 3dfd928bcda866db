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
 * A Hygon chip's HSK and CEK from the collateral (request `hygon-hsk-cek`; Hygon KDS serves
 * `hsk_cek?snumber=<chip>`: the 832-byte HSK followed by the 2084-byte CEK). None:
 * COLLATERAL_UNAVAILABLE naming the chip.
 */
export async function hskCekOfChip(
  chipId: string,
  collateral: CollateralSource | undefined,
  tee: string,
): Promise<HskCek> {
  if (!CHIP_ID.test(chipId)) {
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee}: chip id ${JSON.stringify(chipId)} is not a chip id`)
  }
  const item = await getCollateral(collateral, { kind: 'hygon-hsk-cek', chipId })
  if (item === undefined) {
    throw new VerificationError(
      'COLLATERAL_UNAVAILABLE',
      `${tee}: no HSK/CEK for chip ${chipId} in the evidence or the collateral (Hygon KDS hsk_cek?snumber=${chipId})`,
    )
  }
  if (item.body.length !== CA_CERT_SIZE + CSV_CERT_SIZE) {
    throw new VerificationError(
      'COLLATERAL_INVALID',
      `${tee}: the HSK/CEK for chip ${chipId} is ${String(item.body.length)} bytes, expected ${String(CA_CERT_SIZE + CSV_CERT_SIZE)}`,
    )
  }
  return { hsk: item.body.subarray(0, CA_CERT_SIZE), cek: item.body.subarray(CA_CERT_SIZE), origin: 'collateral' }
}

/** The HSK and CEK for CSV evidence: from the evidence when it carries them, else by its chip id. */
export async function hskCekFor(evidence: CsvEvidence, collateral: CollateralSource | undefined): Promise<HskCek> {
  if (evidence.hskCek !== undefined) return { ...evidence.hskCek, origin: 'evidence' }
  return hskCekOfChip(evidence.chipId, collateral, 'csv')
}
