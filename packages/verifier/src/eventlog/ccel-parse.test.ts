import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { parseCcEventLog } from './ccel-parse.ts'
import { replayRegister, verifyRtmrReplay } from './rtmr-replay.ts'

const file = (name: string): Buffer => readFileSync(new URL(`../../fixtures/eventlog/${name}`, import.meta.url))
const golden = (name: string): unknown =>
  (JSON.parse(file(name).toString('utf8')) as { uefi_event_logs: unknown }).uefi_event_logs

/** Expected RTMR0–3 from trustee's eventlog tests (see fixtures/eventlog/README.md). */
const RTMRS: Record<string, readonly string[]> = {
  'CCEL_data.head': [
    '2dc712306a963eadb894ad47dbaa17df44814151555aee11cbb843becca88950ffd079664902e6f22c66f7c8213543f4',
    '0fa3be56af61208bbd179dc7b124988eb929319154663c539d6f46445ecac2fec287075047ff7bd1922829fec28cd3cf',
    '00'.repeat(48),
    '00'.repeat(48),
  ],
  CCEL_data_ovmf: [
    '8566f998798db09443b244c62de9a3041fb02e2e6936c4396d784bba2e90177329ec5aba3bb484404f2ab9cc90abe193',
    '775b9f6bfe99f8a31396f0d0218e67ffa796d3b96ccf961cbb0deba48c79c00f082cda1a5567c1c16305f1fc210c13c6',
    '94eaf7a7bf398ed8d888c91057ae0261802e4f3df084213a76ca7f0b5055ac9d2241de43cd58d9e8b49c503bbf25f34a',
    '00'.repeat(48),
  ],
  CCEL_data_grub: [
    'cec0a104f691f60da2387fea3c2de00c4ac035e2bb479ff02edcce69039d9e9907f0b3e55031da3dc7038f423adebd79',
    '6c289e0c62182d41ebe97bdbc9872d10998a08eaa86adcdc684001a363207ee72942c7522cdf00a4bbc3d784bed7b670',
    '08919d017ba0e52cd6d966351c7de16fe76c1d3d3d3da4554239e4c7d16cb8b82a94e7eaea3a0e6e18eb690b999fd31e',
    '00'.repeat(48),
  ],
  CCEL_data_gcp: [
    '3300980705adf09d28b707b79699d9874892164280832be2c386a715b6e204e0897fb564a064f810659207ba862b304f',
    '204d49f78d29918fe7b2f694e76653861a0c2a018987d2c3a54266eff737232524cf0af68c4d180e2f8c2c0937f21967',
    '00'.repeat(48),
    '00'.repeat(48),
  ],
}

describe('CC event log parsing: upstream goldens', () => {
  for (const [log, out] of [
    ['CCEL_data.head', 'CCEL_data_out.json'],
    ['CCEL_data_ovmf', 'CCEL_data_ovmf_out.json'],
    ['CCEL_data_grub', 'CCEL_data_grub_out.json'],
    ['CCEL_AAEL_alibabacloud', 'CCEL_AAEL_alibabacloud_out.json'],
    ['CCEL_data_csv', 'CCEL_data_csv_out.json'],
  ] as const) {
    test(`${log} parses to ${out}`, () => {
      assert.deepEqual(JSON.parse(JSON.stringify(parseCcEventLog(file(log)))), golden(out))
    })
  }
})

describe('RTMR replay', () => {
  for (const [log, rtmrs] of Object.entries(RTMRS)) {
    test(`${log} replays to its RTMR0–3`, () => {
      const entries = parseCcEventLog(file(log))
      rtmrs.forEach((r, n) => {
        assert.equal(replayRegister(entries, n + 1, 'SHA-384').toString('hex'), r)
      })
      verifyRtmrReplay(
        entries,
        rtmrs.map((r) => Buffer.from(r, 'hex')),
      )
    })
  }

  test('a wrong RTMR is MEASUREMENT_MISMATCH naming the register and both values', () => {
    const entries = parseCcEventLog(file('CCEL_data_gcp'))
    const rtmrs = (RTMRS['CCEL_data_gcp'] ?? []).map((r) => Buffer.from(r, 'hex'))
    const wrong = Buffer.from(rtmrs[0] ?? [])
    wrong[47] = 0x4d
    assert.throws(
      () => {
        verifyRtmrReplay(entries, [wrong, ...rtmrs.slice(1)])
      },
      (e: unknown) =>
        e instanceof VerificationError &&
        e.code === 'MEASUREMENT_MISMATCH' &&
        e.message.includes('RTMR0') &&
        e.message.includes(RTMRS['CCEL_data_gcp']?.[0] ?? '-') &&
        e.message.includes(wrong.toString('hex')),
    )
  })
})

describe('CC event log: malformed input', () => {
  test('truncated logs and garbage are EVIDENCE_MALFORMED, never another error', () => {
    const log = file('CCEL_data_ovmf')
    const end = log.indexOf(Buffer.alloc(8, 0xff))
    for (const cut of [0, 10, 31, 40, 100, 500, 1000, end - 1]) {
      assert.throws(
        () => parseCcEventLog(log.subarray(0, cut)),
        (e: unknown) => e instanceof VerificationError && e.code === 'EVIDENCE_MALFORMED',
        `cut at ${String(cut)}`,
      )
    }
    assert.throws(() => parseCcEventLog(Buffer.from('garbage garbage garbage garbage garbage')), {
      code: 'EVIDENCE_MALFORMED',
    })
  })

  test('random single-byte changes never escape as untyped errors', () => {
    const log = file('CCEL_data_grub')
    const end = log.indexOf(Buffer.alloc(8, 0xff))
    let seed = 1
    for (let n = 0; n < 2000; n++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      const copy = Buffer.from(log.subarray(0, end + 8))
      const at = seed % (end + 8)
      copy[at] = (copy[at] ?? 0) ^ (1 + (seed % 255))
      try {
        parseCcEventLog(copy)
      } catch (e) {
        assert.ok(e instanceof VerificationError && e.code === 'EVIDENCE_MALFORMED', `byte ${String(at)}: ${String(e)}`)
      }
    }
  })
})

describe('verifiedTdxEventLog', () => {
  test('returns the uefi_event_logs claim of a log that replays; refuses one that does not', async () => {
    const { verifiedTdxEventLog } = await import('./tdx-event-log.ts')
    const rtmrs = (RTMRS['CCEL_data_ovmf'] ?? []).map((r) => Buffer.from(r, 'hex'))
    assert.deepEqual(verifiedTdxEventLog(file('CCEL_data_ovmf'), rtmrs), golden('CCEL_data_ovmf_out.json'))
    assert.throws(() => verifiedTdxEventLog(file('CCEL_data_grub'), rtmrs), { code: 'MEASUREMENT_MISMATCH' })
  })

  test('a log seen before is not re-parsed, and its claim objects are fresh per call', async () => {
    const { verifiedTdxEventLog } = await import('./tdx-event-log.ts')
    const rtmrs = (RTMRS['CCEL_data_ovmf'] ?? []).map((r) => Buffer.from(r, 'hex'))
    const first = verifiedTdxEventLog(file('CCEL_data_ovmf'), rtmrs)
    const entry = first[0]
    assert.ok(entry)
    entry['index'] = 99
    ;(entry['details'] as Record<string, unknown>)['string'] = 'changed'
    assert.deepEqual(verifiedTdxEventLog(file('CCEL_data_ovmf'), rtmrs), golden('CCEL_data_ovmf_out.json'))
    const wrong = rtmrs.map((r, n) => (n === 2 ? Buffer.alloc(48) : r))
    assert.throws(
      () => verifiedTdxEventLog(file('CCEL_data_ovmf'), wrong),
      (e: unknown) =>
        e instanceof VerificationError && e.code === 'MEASUREMENT_MISMATCH' && e.message.includes('RTMR2'),
    )
  })
})
