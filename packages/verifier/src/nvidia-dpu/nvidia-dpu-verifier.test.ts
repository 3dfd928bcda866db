import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { createTestCertificate, testKey } from '../pkix/test-support/test-pki.ts'
import { rejectsWith, verifierContract } from '../verifier-contract.ts'
import { VERIFIER_FACTORIES, verifierFor } from '../verifier-table.ts'
import type { VerificationContext } from '../verifier.ts'
import { createNvidiaDpuVerifier } from './nvidia-dpu-verifier.ts'
import { DEFAULT_FWIDS, DPU_ALIAS_NOT_BEFORE, syntheticDpu, type DpuEvidenceJson } from './nvidia-dpu-test-evidence.ts'

const fixtures = new URL('../../fixtures/nvidia-dpu/', import.meta.url)
const text = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8')
const rootPem = text('root-ca.pem')
const golden = JSON.parse(text('evidence.json')) as DpuEvidenceJson
const reportData = new Uint8Array(Buffer.from(text('report-data.hex').trim(), 'hex'))
const claims = JSON.parse(text('expected-claims.json')) as JsonObject
/** Ten minutes after the Alias certificate was issued. */
const AT = new Date(DPU_ALIAS_NOT_BEFORE.getTime() + 600_000)
const context: VerificationContext = { at: AT }
const verifier = createNvidiaDpuVerifier({ rootCa: rootPem })

function withDevice(evidence: DpuEvidenceJson, change: Partial<DpuEvidenceJson['devices'][number]>): DpuEvidenceJson {
  const [device] = evidence.devices
  assert.ok(device !== undefined)
  return { ...evidence, devices: [{ ...device, ...change }] }
}

verifierContract('nvidia-dpu', () => ({
  verifier,
  golden: { evidence: golden, expected: { reportData }, claims: [claims], teeClass: 'nvidia-dpu', context },
  wrongReportData: new Uint8Array(48).fill(7),
  truncated: JSON.stringify(golden).slice(0, 300),
  // A whole DICE chain (with a valid report-data signature) under another root CA.
  untrustedRoot: { evidence: syntheticDpu().evidence(reportData) },
  // An hour and a second after the Alias certificate was issued (max_cert_age_secs 3600).
  expiredCertificate: { evidence: golden, context: { at: new Date(DPU_ALIAS_NOT_BEFORE.getTime() + 3_601_000) } },
}))

describe('nvidia-dpu verifier', () => {
  test('is registered: verifierFor("nvidia-dpu") without a root CA is COLLATERAL_UNAVAILABLE', async () => {
    assert.notEqual(VERIFIER_FACTORIES['nvidia-dpu'], null)
    await rejectsWith(verifierFor('nvidia-dpu').verify(golden, { reportData }, context), 'COLLATERAL_UNAVAILABLE')
  })

  test('the signature over the exact report data (DER) verifies like the attester’s (padded to 64, r‖s); JSON text and bytes too', async () => {
    assert.equal(Buffer.from(golden.devices[0]?.report_data_signature ?? '', 'base64').length, 96)
    const exact = JSON.parse(text('evidence-exact-der.json')) as DpuEvidenceJson
    assert.equal(Buffer.from(exact.devices[0]?.report_data_signature ?? '', 'base64')[0], 0x30)
    for (const evidence of [exact, JSON.stringify(golden), new TextEncoder().encode(JSON.stringify(golden))]) {
      const [result] = await verifier.verify(evidence, { reportData }, context)
      assert.deepEqual(result?.claims, claims)
    }
  })

  test('a flipped bit in the signature is REPORT_DATA_MISMATCH (an altered signature and other data look the same)', async () => {
    const signature = Buffer.from(golden.devices[0]?.report_data_signature ?? '', 'base64')
    signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 1
    const evidence = withDevice(golden, { report_data_signature: signature.toString('base64') })
    await rejectsWith(verifier.verify(evidence, { reportData }, context), 'REPORT_DATA_MISMATCH')
  })

  test('certificate age: the boundary, a not-yet-issued Alias, max_cert_age_secs, an expired DeviceID', async () => {
    const at = (seconds: number): VerificationContext => ({
      at: new Date(DPU_ALIAS_NOT_BEFORE.getTime() + seconds * 1000),
    })
    assert.equal((await verifier.verify(golden, { reportData }, at(3600))).length, 1)
    await rejectsWith(verifier.verify(golden, { reportData }, at(-1)), 'CERT_EXPIRED')
    const strict = createNvidiaDpuVerifier({ rootCa: rootPem, maxCertAgeSecs: 60 })
    assert.equal((await strict.verify(golden, { reportData }, at(60))).length, 1)
    await rejectsWith(strict.verify(golden, { reportData }, at(61)), 'CERT_EXPIRED')
    const old = syntheticDpu({ deviceIdNotAfter: new Date('2026-01-01T00:00:00Z') })
    await rejectsWith(
      createNvidiaDpuVerifier({ rootCa: old.rootPem }).verify(old.evidence(reportData), { reportData }, context),
      'CERT_EXPIRED',
    )
    const aliasExpired = syntheticDpu({ aliasNotAfter: new Date(DPU_ALIAS_NOT_BEFORE.getTime() + 60_000) })
    await rejectsWith(
      createNvidiaDpuVerifier({ rootCa: aliasExpired.rootPem }).verify(
        aliasExpired.evidence(reportData),
        { reportData },
        context,
      ),
      'CERT_EXPIRED',
    )
    assert.throws(() => createNvidiaDpuVerifier({ rootCa: rootPem, maxCertAgeSecs: -1 }), RangeError)
  })

  test('an Alias certificate from another DeviceID is CERT_CHAIN_INVALID', async () => {
    const other = syntheticDpu()
    const evidence = withDevice(golden, { alias_cert: other.evidence(reportData).devices[0]?.alias_cert ?? '' })
    await rejectsWith(verifier.verify(evidence, { reportData }, context), 'CERT_CHAIN_INVALID')
  })

  test('FWIDs: TCG IMPLICIT and upstream-wrapped encodings give the same claims; no TcbInfo gives none', async () => {
    const implicit = syntheticDpu()
    const wrapped = syntheticDpu({ root: implicit.root, wrappedFwids: true })
    const none = syntheticDpu({ root: implicit.root, noTcbInfo: true })
    const dpuVerifier = createNvidiaDpuVerifier({ rootCa: implicit.rootPem })
    const claimsOf = async (dpu: typeof implicit): Promise<JsonObject> => {
      const [result] = await dpuVerifier.verify(dpu.evidence(reportData), { reportData }, context)
      assert.ok(result !== undefined)
      return result.claims
    }
    assert.deepEqual(await claimsOf(implicit), claims)
    assert.deepEqual(await claimsOf(wrapped), claims)
    const empty = await claimsOf(none)
    assert.equal(empty['firmware_layers_count'], 0)
    // SHA-384 of nothing
    assert.equal(empty['accumulated_fwid'], createHash('sha384').digest('hex'))
    const one = syntheticDpu({ root: implicit.root, fwids: [DEFAULT_FWIDS[0] ?? new Uint8Array()] })
    assert.equal((await claimsOf(one))['firmware_layers_count'], 1)
  })

  test('the device class is the DeviceID CN; the serial is unsigned lower-case hex without leading zeros', async () => {
    const dpu = syntheticDpu({ deviceClass: 'bluefield2', serial: Buffer.from('00ff01', 'hex') })
    const [result] = await createNvidiaDpuVerifier({ rootCa: dpu.rootPem }).verify(
      dpu.evidence(reportData),
      { reportData },
      context,
    )
    assert.ok(result !== undefined)
    assert.equal(result.claims['device_class'], 'bluefield2')
    assert.equal(result.claims['device_serial'], 'ff01')
  })

  test('malformed evidence: no device, two devices, unknown fields, empty or garbage signature, bad certificates', async () => {
    const device = golden.devices[0]
    assert.ok(device !== undefined)
    const cases: unknown[] = [
      { ...golden, devices: [] },
      { ...golden, devices: [device, device] },
      { ...golden, version: -1 },
      { ...golden, version: '1' },
      withDevice(golden, { report_data_signature: `${golden.devices[0]?.report_data_signature.slice(0, -2) ?? ''}B=` }),
      { ...golden, extra: true },
      withDevice(golden, { report_data_signature: '' }),
      withDevice(golden, { report_data_signature: Buffer.from('nope').toString('base64') }),
      withDevice(golden, { alias_cert: Buffer.from('not a certificate').toString('base64') }),
      withDevice(golden, { device_id_cert: 'not base64!' }),
      { ...golden, devices: [{ ...device, nonce: 'x' }] },
    ]
    for (const evidence of cases) {
      await rejectsWith(verifier.verify(evidence, { reportData }, context), 'EVIDENCE_MALFORMED')
    }
  })

  test('another evidence version or architecture is UNSUPPORTED_VERSION', async () => {
    await rejectsWith(verifier.verify({ ...golden, version: 2 }, { reportData }, context), 'UNSUPPORTED_VERSION')
    await rejectsWith(
      verifier.verify(withDevice(golden, { architecture: 'bluefield2' }), { reportData }, context),
      'UNSUPPORTED_VERSION',
    )
  })

  test('64-byte report data: the attester’s form is the exact form; longer report data is cut to 64', async () => {
    const dpu = syntheticDpu()
    const dpuVerifier = createNvidiaDpuVerifier({ rootCa: dpu.rootPem })
    const sixtyFour = new Uint8Array(64).fill(3)
    assert.equal((await dpuVerifier.verify(dpu.evidence(sixtyFour), { reportData: sixtyFour }, context)).length, 1)
    const long = new Uint8Array(80).fill(4)
    assert.equal((await dpuVerifier.verify(dpu.evidence(long), { reportData: long }, context)).length, 1)
    await rejectsWith(
      dpuVerifier.verify(dpu.evidence(long), { reportData: long.subarray(0, 48) }, context),
      'REPORT_DATA_MISMATCH',
    )
  })

  test('without report data the signature is not checked and there is no session_nonce (as upstream)', async () => {
    const [result] = await verifier.verify(withDevice(golden, { report_data_signature: 'AAAA' }), {}, context)
    assert.ok(result !== undefined)
    const rest: JsonObject = { ...claims }
    delete rest['session_nonce']
    assert.deepEqual(result.claims, rest)
  })

  test('init data is not bound (as upstream): an expected digest does not change the result', async () => {
    const [result] = await verifier.verify(golden, { reportData, initDataDigest: new Uint8Array(32).fill(9) }, context)
    assert.deepEqual(result?.claims, claims)
  })

  test('the root CA must be a P-384 certificate', () => {
    assert.throws(() => createNvidiaDpuVerifier({ rootCa: 'not pem' }), { code: 'CERT_CHAIN_INVALID' })
    const p256 = createTestCertificate({ commonName: 'P-256 root', ca: true, key: testKey('ec-p256') })
    assert.throws(() => createNvidiaDpuVerifier({ rootCa: p256.x509.toString() }), /not an ECDSA P-384 key/)
    const fromBytes = createNvidiaDpuVerifier({ rootCa: new Uint8Array(Buffer.from(rootPem)) })
    assert.equal(typeof fromBytes.verify, 'function')
  })
})
