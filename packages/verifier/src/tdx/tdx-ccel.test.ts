import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { azTdxTestCollateral, AZ_TDX_TEST_TIME } from '../az-tdx-vtpm/az-tdx-test-support.ts'
import { parseDcapQuote } from '../dcap/quote-parse.ts'
import { verifiedTdxEventLog } from '../eventlog/tdx-event-log.ts'
import { parseCcEventLog } from '../eventlog/ccel-parse.ts'
import { rejectsWith } from '../verifier-contract.ts'
import { createTdxVerifier } from './tdx-verifier.ts'

/* A real quote + CC event log pair (GCP COS 113, from go-tdx-guest; fixtures/tdx/README.md). */

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../fixtures/tdx/${name}`, import.meta.url)))
const quote = fixture('gtg-cos-113-quote.dat')
const ccel = fixture('gtg-cos-113-ccel.head')
const rtmrs = (q: Uint8Array): Uint8Array[] => {
  const body = parseDcapQuote(q).body
  return [0, 1, 2, 3].map((i) => body.subarray(328 + 48 * i, 376 + 48 * i))
}
const evidence = (log: Uint8Array): JsonObject => ({
  cc_eventlog: Buffer.from(log).toString('base64'),
  quote: Buffer.from(quote).toString('base64'),
})
const context = { at: AZ_TDX_TEST_TIME, collateral: azTdxTestCollateral() }
const reportData = new Uint8Array(64)

/** The log with one byte of the SHA-384 digest of its `n`-th event flipped. */
function changedDigest(n: number): Uint8Array {
  const digest = Buffer.from(parseCcEventLog(ccel)[n]?.digests[0]?.digest ?? '', 'hex')
  const at = Buffer.from(ccel).indexOf(digest)
  assert.ok(digest.length === 48 && at > 0)
  const out = Uint8Array.from(ccel)
  out[at] = (out[at] ?? 0) ^ 1
  return out
}

describe('tdx: real quote + CCEL (go-tdx-guest cos-113)', () => {
  test('the replay step: the 43 events replay to RTMR0-2 of the quote, RTMR3 stays zero', () => {
    const entries = verifiedTdxEventLog(ccel, rtmrs(quote))
    assert.equal(entries.length, 43)
    assert.deepEqual([...new Set(entries.map((e) => e['index']))].sort(), [1, 2, 3])
    assert.equal(entries[0]?.['type_name'], 'EV_EFI_HANDOFF_TABLES2')
    assert.equal(Buffer.from(rtmrs(quote)[3] ?? []).toString('hex'), '00'.repeat(48))
  })

  test('the whole tdx verifier accepts the pair with its Intel collateral: UpToDate, uefi_event_logs claimed', async () => {
    const [r] = await createTdxVerifier().verify(evidence(ccel), { reportData }, context)
    assert.ok(r !== undefined)
    const body = (r.claims['quote'] as { body: JsonObject }).body
    assert.equal(
      body['rtmr_0'],
      '3fa2f61f395b7f5feefb4ec2df61297f109ad8abcd6410c1b7df60f21f37b19297fc35e544039c7e1edece752afd17f6',
    )
    assert.equal(
      body['rtmr_2'],
      '4969684dc87381fc3b3134176c8d8806eaf0a901859f5f70cfae8d17714b46c10a8de219048c9fc09f11f381a6fbe7c1',
    )
    assert.equal(r.claims['tcb_status'], 'UpToDate')
    assert.equal(r.claims['tcb_date'], '2024-03-13T00:00:00Z')
    assert.deepEqual(r.claims['advisory_ids'], [])
    const log = r.claims['uefi_event_logs']
    assert.ok(Array.isArray(log))
    assert.deepEqual(log, verifiedTdxEventLog(ccel, rtmrs(quote)))
  })

  test('a changed event digest does not replay: MEASUREMENT_MISMATCH naming the register', async () => {
    // Event 1 (firmware blob) extends RTMR0; the last event (EV_EFI_ACTION) extends RTMR1.
    assert.throws(
      () => verifiedTdxEventLog(changedDigest(1), rtmrs(quote)),
      (e: Error) => 'code' in e && e.code === 'MEASUREMENT_MISMATCH' && /RTMR0/.test(e.message),
    )
    assert.throws(
      () => verifiedTdxEventLog(changedDigest(42), rtmrs(quote)),
      (e: Error) => 'code' in e && e.code === 'MEASUREMENT_MISMATCH' && /RTMR1/.test(e.message),
    )
    await rejectsWith(
      createTdxVerifier().verify(evidence(changedDigest(1)), { reportData }, context),
      'MEASUREMENT_MISMATCH',
    )
  })

  test('an event left out, or the event log of another GCP boot: MEASUREMENT_MISMATCH', async () => {
    const entries = parseCcEventLog(ccel)
    const lastEvent = Buffer.from(ccel).lastIndexOf(Buffer.from(entries[42]?.event ?? '', 'base64'))
    // Cut the log before the last event's header: 12 header bytes + 2 + 48 digest + 4 size before its data.
    const shortened = Buffer.concat([Buffer.from(ccel).subarray(0, lastEvent - 66), Buffer.alloc(8, 0xff)])
    assert.equal(parseCcEventLog(shortened).length, 42)
    await rejectsWith(createTdxVerifier().verify(evidence(shortened), { reportData }, context), 'MEASUREMENT_MISMATCH')
    const gcp = new Uint8Array(readFileSync(new URL('../../fixtures/eventlog/CCEL_data_gcp', import.meta.url)))
    await rejectsWith(createTdxVerifier().verify(evidence(gcp), { reportData }, context), 'MEASUREMENT_MISMATCH')
  })
})
