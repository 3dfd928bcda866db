import assert from 'node:assert/strict'
import { test } from 'node:test'
import { rejectsWith, verifierContract, type RejectedCase } from '../verifier-contract.ts'
import { snpEvidenceJson, type SnpCertEntry } from './snp-evidence.ts'
import { SnpOffset } from './snp-report.ts'
import { fakeCollateral, goldenReports, resignWithSelfMadeKey, snpFixture } from './snp-test-support.ts'
import { createSnpVerifier } from './snp-verifier.ts'
import { syntheticSnpPki } from './snp-synthetic-pki.ts'

const golden = goldenReports()
const oak = golden['oak-milan-oc']
assert.ok(oak !== undefined)
const report = snpFixture(oak.report)
const vcek = snpFixture(oak.vcek)
const at = new Date(oak.at)
const reportData = report.slice(SnpOffset.reportData, SnpOffset.reportData + 48)
const hostData = report.slice(SnpOffset.hostData, SnpOffset.hostData + 32)
const vcekEntry: SnpCertEntry = { certType: 'VCEK', data: vcek }
const evidence = snpEvidenceJson(report, [vcekEntry])

const tampered = new Uint8Array(report)
tampered[SnpOffset.measurement] = (tampered[SnpOffset.measurement] as number) ^ 1

// A chain of the same shape as AMD's, made with openssl (fixtures/snp/README.md), and the golden
// report re-signed with its VCEK key.
const selfMade = (names: readonly string[]): string =>
  snpEvidenceJson(
    resignWithSelfMadeKey(report),
    names.map((certType) => {
      const file = { ARK: 'selfmade-ark.pem', ASK: 'selfmade-ask.pem', VCEK: 'selfmade-vcek.der' }[certType] ?? ''
      const bytes = snpFixture(file)
      return { certType, data: file.endsWith('.pem') ? pemToDer(bytes) : bytes }
    }),
  )

function pemToDer(pem: Uint8Array): Uint8Array {
  const body = Buffer.from(pem)
    .toString('utf8')
    .replace(/-----[^-]+-----|\s/g, '')
  return new Uint8Array(Buffer.from(body, 'base64'))
}

verifierContract('snp', () => ({
  verifier: createSnpVerifier(),
  golden: {
    evidence,
    expected: { reportData, initDataDigest: hostData },
    claims: [oak.claims],
    teeClass: 'cpu',
    context: { at },
  },
  wrongReportData: new Uint8Array(48).fill(7),
  truncated: evidence.slice(0, evidence.length / 2),
  wrongInitDataDigest: new Uint8Array(32).fill(1),
  tamperedSignature: { evidence: snpEvidenceJson(tampered, [vcekEntry]) },
  untrustedRoot: { evidence: selfMade(['ARK', 'ASK', 'VCEK']) },
  expiredCertificate: { evidence, context: { at: new Date('2033-01-01T00:00:00Z') } },
  revokedCertificate: revokedAsk(),
}))

/** The synthetic AMD-shaped PKI pinned, with an ARK-signed CRL that lists the ASK. */
function revokedAsk(): RejectedCase {
  const pki = syntheticSnpPki()
  return {
    verifier: pki.verifier,
    evidence: pki.evidence,
    expected: pki.expected,
    context: { at: pki.at, collateral: pki.withCrl([pki.ask]) },
  }
}

for (const [name, g] of Object.entries(golden)) {
  test(`snp: ${name} verifies with its golden claims`, async () => {
    const bytes = snpFixture(g.report)
    const json = snpEvidenceJson(bytes, [{ certType: 'VCEK', data: snpFixture(g.vcek) }])
    const expected = { reportData: bytes.slice(SnpOffset.reportData, SnpOffset.reportData + 64) }
    const [result] = await createSnpVerifier().verify(json, expected, { at: new Date(g.at) })
    assert.ok(result !== undefined)
    assert.deepEqual(result.claims, g.claims)
    assert.equal(result.teeClass, 'cpu')
  })
}

test('snp: golden claims agree with the values the vector manifests state', () => {
  const claims = (name: string): Record<string, unknown> => (name in golden ? golden[name]?.claims : undefined) ?? {}
  assert.equal(
    claims('teekit-gcp')['measurement'],
    'b747d55452e0b9e9079770a49e397c5e6d9573581e246da7baac4f28b5cdc5b1b6d19251b8ee600fd16a3708f58406f3',
  )
  const tcb = (name: string): number[] =>
    ['bootloader', 'tee', 'snp', 'microcode'].map((f) => Number(claims(name)[`reported_tcb_${f}`]))
  assert.deepEqual(tcb('teekit-gcp'), [4, 0, 27, 222])
  assert.deepEqual(tcb('oak-milan-oc'), [4, 0, 24, 219])
  assert.deepEqual(tcb('oak-genoa'), [10, 0, 25, 84])
  assert.deepEqual(tcb('oak-turin'), [1, 0, 2, 71])
  assert.equal(String(claims('oak-turin')['chip_id']).slice(0, 16), '3b42092f69c656d3')
})

test('snp: a raw report takes its VCEK from the collateral (Turin: 8-byte hwid, FMC in the TCB)', async () => {
  const g = golden['oak-turin']
  assert.ok(g !== undefined)
  const bytes = snpFixture(g.report)
  const collateral = fakeCollateral({ 'amd-vcek': snpFixture(g.vcek) })
  const [result] = await createSnpVerifier().verify(
    bytes,
    { reportData: bytes.slice(SnpOffset.reportData, SnpOffset.reportData + 64) },
    { at: new Date(g.at), collateral },
  )
  assert.deepEqual(result?.claims, g.claims)
  const request = collateral.requests.find((r) => r.kind === 'amd-vcek')
  assert.ok(request?.kind === 'amd-vcek')
  assert.equal(request.product, 'Turin')
  assert.equal(Buffer.from(request.hwid).toString('hex'), '3b42092f69c656d3')
  assert.deepEqual(request.tcb, { fmc: 0, bootloader: 1, tee: 0, snp: 2, microcode: 71 })
})

test('snp: without a VCEK anywhere the evidence is COLLATERAL_UNAVAILABLE', async () => {
  await rejectsWith(
    createSnpVerifier().verify(snpEvidenceJson(report, null), { reportData }, { at }),
    'COLLATERAL_UNAVAILABLE',
  )
})

test('snp: a report v2 is UNSUPPORTED_VERSION', async () => {
  const v2 = snpEvidenceJson(snpFixture('trustee-v2-report.bin'), [
    { certType: 'VCEK', data: snpFixture('trustee-v2-vcek.der') },
  ])
  await rejectsWith(createSnpVerifier().verify(v2, { reportData }, { at }), 'UNSUPPORTED_VERSION')
})

test('snp: genuine reports from VMPL 1 are POLICY_VIOLATION after their VCEK/VLEK checks pass', async () => {
  const vlek = snpEvidenceJson(snpFixture('trustee-vlek-report.bin'), [
    { certType: 'VLEK', data: snpFixture('trustee-vlek.der') },
  ])
  const when = { at: new Date('2025-06-01T00:00:00Z') }
  await rejectsWith(createSnpVerifier().verify(vlek, { reportData }, when), 'POLICY_VIOLATION')
  // The VLEK expired on 2025-12-10: the chain check comes first.
  await rejectsWith(
    createSnpVerifier().verify(vlek, { reportData }, { at: new Date('2026-01-01T00:00:00Z') }),
    'CERT_EXPIRED',
  )
  const gcp = snpEvidenceJson(snpFixture('teekit-gcp-vmpl1-report.bin'), [
    { certType: 'VCEK', data: snpFixture('teekit-gcp-vcek.der') },
  ])
  await rejectsWith(createSnpVerifier().verify(gcp, { reportData }, { at: new Date('2025-12-10') }), 'POLICY_VIOLATION')
})

test('snp: chains that do not end at the pinned ARK, or break, are refused', async () => {
  const verify = (e: string): Promise<unknown> => createSnpVerifier().verify(e, { reportData }, { at })
  await rejectsWith(verify(selfMade(['ASK', 'VCEK'])), 'CERT_CHAIN_INVALID')
  await rejectsWith(verify(selfMade(['VCEK'])), 'CERT_CHAIN_INVALID')
  const otherChip = snpEvidenceJson(report, [{ certType: 'VCEK', data: snpFixture('oak-milan-rk-vcek.der') }])
  await rejectsWith(verify(otherChip), 'CERT_CHAIN_INVALID')
  await rejectsWith(
    createSnpVerifier().verify(evidence, { reportData }, { at: new Date('2025-01-01T00:00:00Z') }),
    'CERT_EXPIRED',
  )
})

test('snp: the ARK/ASK of the evidence or of the collateral are used when they are AMD’s', async () => {
  const roots = snpFixture('../../roots/amd-milan.pem')
  const ders = Buffer.from(roots)
    .toString('utf8')
    .split('-----END CERTIFICATE-----')
    .filter((p) => p.includes('BEGIN'))
    .map((p) => pemToDer(Buffer.from(`${p}-----END CERTIFICATE-----`)))
  const [ask, ark] = ders
  assert.ok(ask !== undefined && ark !== undefined)
  const withChain = snpEvidenceJson(report, [{ certType: 'ARK', data: ark }, { certType: 'ASK', data: ask }, vcekEntry])
  const [result] = await createSnpVerifier().verify(withChain, { reportData }, { at })
  assert.deepEqual(result?.claims, oak.claims)
  // KDS-style PEM (ASK then ARK) from the collateral is used when the evidence has none.
  const kds = fakeCollateral({ 'amd-cert-chain': roots })
  const [fromKds] = await createSnpVerifier().verify(evidence, { reportData }, { at, collateral: kds })
  assert.deepEqual(fromKds?.claims, oak.claims)
  assert.ok(kds.requests.some((r) => r.kind === 'amd-cert-chain' && r.product === 'Milan' && r.signer === 'vcek'))
  const collateral = fakeCollateral({ 'amd-cert-chain': snpFixture('selfmade-ark.pem') })
  await rejectsWith(createSnpVerifier().verify(evidence, { reportData }, { at, collateral }), 'COLLATERAL_INVALID')
})

test('snp: unsigned bytes after the signature must be zero', async () => {
  const padded = new Uint8Array(report)
  padded[0x400] = 1
  await rejectsWith(
    createSnpVerifier().verify(padded, { reportData }, { at, collateral: fakeCollateral({ 'amd-vcek': vcek }) }),
    'EVIDENCE_MALFORMED',
  )
})
