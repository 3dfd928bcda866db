import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { rejectsWith } from '../verifier-contract.ts'
import { VerificationError } from '../verifier.ts'
import { parseSnpEvidence, reportToJson, snpEvidenceJson } from './snp-evidence.ts'
import { goldenReports, snpFixture } from './snp-test-support.ts'

const reports = [
  ...Object.values(goldenReports()).map((g) => g.report),
  'trustee-v2-report.bin',
  'trustee-vlek-report.bin',
]

test('snp evidence: the serde form of every fixture report rebuilds the same bytes', () => {
  for (const name of reports) {
    const bytes = snpFixture(name)
    const parsed = parseSnpEvidence(snpEvidenceJson(bytes, null))
    assert.deepEqual(parsed.report, bytes, name)
    assert.deepEqual(parsed.certChain, [])
  }
})

test('snp evidence: the serde form has the sev crate field names and shapes', () => {
  const json = reportToJson(snpFixture('oak-turin-report.bin'))
  assert.equal(json['version'], 5)
  assert.deepEqual(json['reported_tcb'], { fmc: 0, bootloader: 1, tee: 0, snp: 2, microcode: 71 })
  assert.equal(json['cpuid_fam_id'], 0x1a)
  assert.equal((json['chip_id'] as number[]).length, 64)
  assert.equal(((json['signature'] as JsonObject)['r'] as number[]).length, 72)
  const v2 = reportToJson(snpFixture('trustee-v2-report.bin'))
  assert.equal(v2['cpuid_fam_id'], null)
  assert.deepEqual(v2['reported_tcb'], { fmc: null, bootloader: 3, tee: 0, snp: 8, microcode: 115 })
})

test('snp evidence: cert_chain entries and raw bytes', () => {
  const bytes = snpFixture('oak-milan-oc-report.bin')
  const json = JSON.parse(snpEvidenceJson(bytes, [{ certType: 'VCEK', data: new Uint8Array([1, 2]) }])) as JsonObject
  json['cert_chain'] = [
    { cert_type: 'VCEK', data: [1, 2] },
    { cert_type: { OTHER: '00000000-0000-0000-0000-000000000000' }, data: [] },
  ]
  const parsed = parseSnpEvidence(JSON.stringify(json))
  assert.deepEqual(
    parsed.certChain.map((e) => [e.certType, Array.from(e.data)]),
    [
      ['VCEK', [1, 2]],
      ['OTHER', []],
    ],
  )
  assert.deepEqual(parseSnpEvidence(bytes).report, bytes)
})

test('snp evidence: malformed fields are EVIDENCE_MALFORMED', async () => {
  const base = JSON.parse(snpEvidenceJson(snpFixture('oak-milan-oc-report.bin'), null)) as JsonObject
  const report = base['attestation_report'] as JsonObject
  const variants: JsonObject[] = [
    { ...base, attestation_report: { ...report, measurement: [1, 2, 3] } },
    { ...base, attestation_report: { ...report, vmpl: -1 } },
    { ...base, attestation_report: { ...report, policy: 2 ** 60 } },
    { ...base, attestation_report: { ...report, reported_tcb: { bootloader: 1 } } },
    { ...base, attestation_report: { ...report, signature: null } },
    { ...base, attestation_report: { ...report, chip_id: new Array(64).fill(256) } },
    { ...base, cert_chain: {} },
    { ...base, cert_chain: [{ cert_type: 1, data: [] }] },
    { attestation_report: 'x' },
  ]
  for (const v of variants) {
    await rejectsWith(
      new Promise((resolve) => {
        resolve(parseSnpEvidence(JSON.stringify(v)))
      }),
      'EVIDENCE_MALFORMED',
    )
  }
  assert.throws(() => parseSnpEvidence(new Uint8Array(1183)), VerificationError)
})

test('snp evidence: byte fields written as hex strings (as some wrappers of the sev struct do) read the same', () => {
  const bytes = snpFixture('oak-genoa-report.bin')
  const json = reportToJson(bytes)
  const hex = (v: unknown): string => Buffer.from(v as number[]).toString('hex')
  for (const field of ['family_id', 'image_id', 'report_data', 'measurement', 'host_data', 'chip_id', 'report_id']) {
    json[field] = hex(json[field])
  }
  const signature = json['signature'] as JsonObject
  json['signature'] = { r: hex(signature['r']), s: hex(signature['s']) }
  assert.deepEqual(parseSnpEvidence({ attestation_report: json, cert_chain: null }).report, bytes)
  json['measurement'] = 'zz'.repeat(48)
  assert.throws(() => parseSnpEvidence({ attestation_report: json }), VerificationError)
})

test('snp evidence JSON: no unknown field at any level, newer sev-crate fields all or none and null only where the version lacks them', () => {
  const bytes = snpFixture('oak-milan-oc-report.bin')
  const json = (): JsonObject => JSON.parse(snpEvidenceJson(bytes, null)) as JsonObject
  const report = (e: JsonObject): JsonObject => e['attestation_report'] as JsonObject
  const code = (e: JsonObject): string => {
    try {
      parseSnpEvidence(e)
      return 'accepted'
    } catch (error) {
      assert.ok(error instanceof VerificationError, String(error))
      return error.code
    }
  }
  assert.equal(code(json()), 'accepted')
  const edits: [string, (e: JsonObject) => void][] = [
    ['top-level field', (e) => (e['x'] = 1)],
    ['report field', (e) => (report(e)['x'] = 1)],
    ['TCB field', (e) => ((report(e)['current_tcb'] as JsonObject)['x'] = 1)],
    ['version field', (e) => ((report(e)['current'] as JsonObject)['x'] = 1)],
    ['signature field', (e) => ((report(e)['signature'] as JsonObject)['x'] = 1)],
    ['fmc in one TCB only', (e) => Reflect.deleteProperty(report(e)['launch_tcb'] as JsonObject, 'fmc')],
    ['one cpuid field left out', (e) => Reflect.deleteProperty(report(e), 'cpuid_step')],
    ['cpuid null in a v3 report', (e) => (report(e)['cpuid_step'] = null)],
    ['mit vector a number in a v3 report', (e) => (report(e)['launch_mit_vector'] = 0)],
    ['one mit vector left out', (e) => Reflect.deleteProperty(report(e), 'current_mit_vector')],
    ['cert entry field', (e) => (e['cert_chain'] = [{ cert_type: 'VCEK', data: [1], x: 1 }])],
  ]
  for (const [name, edit] of edits) {
    const e = json()
    edit(e)
    assert.equal(code(e), 'EVIDENCE_MALFORMED', name)
  }
  // An older sev crate writes no fmc and no mit vectors: the same report, accepted.
  const older = json()
  for (const tcb of ['current_tcb', 'reported_tcb', 'committed_tcb', 'launch_tcb']) {
    Reflect.deleteProperty(report(older)[tcb] as JsonObject, 'fmc')
  }
  Reflect.deleteProperty(report(older), 'launch_mit_vector')
  Reflect.deleteProperty(report(older), 'current_mit_vector')
  assert.deepEqual(parseSnpEvidence(older).report, bytes)
})
