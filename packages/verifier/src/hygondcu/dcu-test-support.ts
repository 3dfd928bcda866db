import { readFileSync } from 'node:fs'
import { createDirectoryCollateral } from '../collateral/directory-collateral.ts'

/** Test helpers around the committed DCU fixtures (fixtures/hygondcu/, see its README). */

const dir = new URL('../../fixtures/hygondcu/', import.meta.url)

export function dcuFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, dir)))
}

export const DCU_HRK = dcuFixture('hrk.cert')
export const DCU_OTHER_HRK = dcuFixture('other-hrk.cert')
export const DCU_EVIDENCE = JSON.parse(Buffer.from(dcuFixture('evidence.json')).toString('utf8')) as {
  attestation_reports: { body: Record<string, unknown>; sig: { r: number[]; s: number[] } }[]
}
export const DCU_REPORT_DATA = new Uint8Array(
  Buffer.from(Buffer.from(dcuFixture('report-data.hex')).toString('utf8').trim(), 'hex'),
)
/** The fixtures' HSK/CEK pairs as a `--collateral` folder (hsk_cek/<chip>/hsk_cek.cert). */
export const DCU_COLLATERAL = createDirectoryCollateral(new URL('collateral/', dir).pathname)
