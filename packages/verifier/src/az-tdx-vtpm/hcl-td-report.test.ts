import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { rejectsWith } from '../verifier-contract.ts'
import { azTdxTestCollateral, AZ_TDX_TEST_TIME } from './az-tdx-test-support.ts'
import { createAzTdxVtpmVerifier } from './az-tdx-vtpm-verifier.ts'

const v1 = JSON.parse(
  readFileSync(new URL('../../fixtures/az-tdx-vtpm/evidence-v1.json', import.meta.url), 'utf8'),
) as Record<string, unknown>
const hcl = Buffer.from(String(v1['hcl_report']), 'base64url')
const expected = { reportData: new Uint8Array(Buffer.from('challenge')) }
const context = { at: AZ_TDX_TEST_TIME, collateral: azTdxTestCollateral() }
const TD = 0x20 // the TDREPORT's offset in the HCL report

describe('az-tdx-vtpm: every checkable byte of the HCL report and its TDREPORT', () => {
  const verifier = createAzTdxVtpmVerifier()
  const cases: [string, (b: Buffer) => Buffer][] = [
    ['REPORTTYPE.type', (b) => ((b[TD] = 0x80), b)],
    ['REPORTTYPE.version 2', (b) => ((b[TD + 2] = 2), b)],
    ['a reserved byte of REPORTMACSTRUCT', (b) => ((b[TD + 8] = 1), b)],
    ['CPUSVN (not the QE report CPUSVN)', (b) => ((b[TD + 20] = (b[TD + 20] ?? 0) ^ 1), b)],
    ['TEE_TCB_INFO_HASH', (b) => ((b[TD + 40] = (b[TD + 40] ?? 0) ^ 1), b)],
    ['TEE_INFO_HASH', (b) => ((b[TD + 90] = (b[TD + 90] ?? 0) ^ 1), b)],
    ['the reserved bytes before the MAC', (b) => ((b[TD + 200] = 1), b)],
    ['TEE_TCB_INFO.VALID (not in the quote; covered by its hash)', (b) => ((b[TD + 257] = 0), b)],
    ['TEE_TCB_INFO reserved (covered by its hash)', (b) => ((b[TD + 450] = 1), b)],
    ['the reserved bytes after TEE_TCB_INFO', (b) => ((b[TD + 500] = 1), b)],
    ['TDINFO.SERVTD_HASH (not in a v4 quote; covered by TEE_INFO_HASH)', (b) => ((b[TD + 920] = 1), b)],
    ['a 2599-byte report', (b) => b.subarray(0, b.length - 1)],
    ['a 2601-byte report', (b) => Buffer.concat([b, Buffer.alloc(1)])],
  ]
  for (const [name, mutate] of cases) {
    test(`${name} changed is EVIDENCE_MALFORMED`, async () => {
      const changed = mutate(Buffer.from(hcl))
      await rejectsWith(
        verifier.verify({ ...v1, hcl_report: changed.toString('base64url') }, expected, context),
        'EVIDENCE_MALFORMED',
      )
    })
  }
})
