import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { fixedTcbEvaluation } from '../dcap/quote-fixtures.ts'
import { parseDcapQuote } from '../dcap/quote-parse.ts'
import { syntheticDcapQuote } from '../dcap/synthetic-dcap-quote.ts'
import { rejectsWith } from '../verifier-contract.ts'
import type { VerificationContext, Verifier } from '../verifier.ts'
import { AZ_TDX_TEST_TIME } from './az-tdx-test-support.ts'
import { createAzTdxVtpmVerifier } from './az-tdx-vtpm-verifier.ts'

/*
 * Evidence v2 has no real vector: the v1 evidence is re-wrapped as version 2 with the HCL
 * variable data's `user-data` set to the runtime data (as the v2 attester does), the TDREPORT
 * and the TD quote's report data updated to SHA-256 of that variable data, and the TD quote
 * re-signed on the synthetic DCAP PKI (the vTPM quote and its AK stay the real ones).
 */

const FIXTURES = new URL('../../fixtures/az-tdx-vtpm/', import.meta.url)
const v1 = JSON.parse(readFileSync(new URL('evidence-v1.json', FIXTURES), 'utf8')) as JsonObject
const challenge = Buffer.from('challenge')
const at = AZ_TDX_TEST_TIME
const IGVM = 0x20 + 1184
const text = (value: unknown): string => {
  assert.ok(typeof value === 'string')
  return value
}
const TDREPORT_REPORT_DATA = 0x20 + 128

interface V2Case {
  readonly evidence: JsonObject
  readonly verifier: Verifier
  readonly context: VerificationContext
}

/** `user-data` in the variable data: 64 bytes (hex) starting with `userData`; same length as v1's. */
function v2Case(userData: Uint8Array, options: { resignQuote?: boolean } = {}): V2Case {
  const hcl = Buffer.from(text(v1['hcl_report']), 'base64url')
  const size = hcl.readUInt32LE(IGVM + 16)
  const varData = hcl.subarray(IGVM + 20, IGVM + 20 + size)
  const before = varData.toString('utf8')
  const padded = Buffer.alloc(64)
  padded.set(userData)
  const after = before.replace(/"user-data":"[0-9a-f]{128}"/, `"user-data":"${padded.toString('hex')}"`)
  assert.notEqual(after, before)
  Buffer.from(after, 'utf8').copy(varData)
  const hash = createHash('sha256').update(varData).digest()
  hash.copy(hcl, TDREPORT_REPORT_DATA)
  const tdQuote = new Uint8Array(Buffer.from(text(v1['td_quote']), 'base64url'))
  const body = Buffer.from(parseDcapQuote(tdQuote).body)
  hash.copy(body, 520)
  const pki = syntheticDcapQuote(tdQuote, options.resignQuote === false ? {} : { body })
  return {
    evidence: {
      ...v1,
      version: 2,
      hcl_report: hcl.toString('base64url'),
      td_quote: Buffer.from(pki.quote).toString('base64url'),
    },
    verifier: createAzTdxVtpmVerifier({
      trustedRoot: pki.root.x509,
      evaluateTcb: fixedTcbEvaluation({ tcb_status: 'UpToDate' }),
    }),
    context: { at, collateral: pki.crls([]) },
  }
}

describe('az-tdx-vtpm evidence v2 (synthetic: v1 re-wrapped with HCL user-data)', () => {
  test('user-data that starts with the runtime data is accepted, with the v1 TD and TPM claims', async () => {
    const c = v2Case(challenge)
    const [r] = await c.verifier.verify(c.evidence, { reportData: challenge }, c.context)
    assert.ok(r !== undefined)
    assert.equal(r.claims['tcb_status'], 'UpToDate')
    assert.equal(
      (r.claims['tpm'] as JsonObject)['pcr00'],
      '782b20b10f55cc46e2142cc2145d548698073e5beb82752c8d7f9279f0d8a273',
    )
    const body = (r.claims['quote'] as { body: JsonObject }).body
    assert.equal(
      body['mr_td'],
      '024a32b070383331181619fa387cb4d55d1e38879f989933055ccad5bc2db795d1737b66205949d15469dc8c1ba7ab7b',
    )
    // The TD report data is SHA-256 of the new variable data, not v1's.
    assert.notEqual(
      text(body['report_data']).slice(0, 64),
      '9734504f161d104c74e3165c15f779b06a9bb40dfa71937817d7eee68e593839',
    )
  })

  test('user-data holding other data: REPORT_DATA_MISMATCH; labelled v1 it is EVIDENCE_MALFORMED (v1 leaves user-data unset)', async () => {
    const c = v2Case(Buffer.from('not the challenge'))
    await rejectsWith(c.verifier.verify(c.evidence, { reportData: challenge }, c.context), 'REPORT_DATA_MISMATCH')
    await rejectsWith(
      c.verifier.verify({ ...c.evidence, version: 1 }, { reportData: challenge }, c.context),
      'EVIDENCE_MALFORMED',
    )
  })

  test('user-data changed without a TD quote that binds it: REPORT_DATA_MISMATCH', async () => {
    const c = v2Case(challenge, { resignQuote: false })
    await rejectsWith(c.verifier.verify(c.evidence, { reportData: challenge }, c.context), 'REPORT_DATA_MISMATCH')
  })

  test('no user-data in a v2 variable data: EVIDENCE_MALFORMED', async () => {
    const c = v2Case(challenge)
    const hcl = Buffer.from(text(c.evidence['hcl_report']), 'base64url')
    const at = hcl.indexOf('"user-data"')
    assert.ok(at > 0)
    hcl.write('"user-dat4"', at)
    await rejectsWith(
      c.verifier.verify({ ...c.evidence, hcl_report: hcl.toString('base64url') }, { reportData: challenge }, c.context),
      'EVIDENCE_MALFORMED',
    )
  })
})
