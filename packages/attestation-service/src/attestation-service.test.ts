import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { canonicalize, type JsonObject } from '@carapace/protocol'
import { createRvps } from '@carapace/rvps'
import { createMemoryStorage } from '@carapace/storage'
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose'
import { createAttestationService, type VerificationRequest } from './attestation-service.ts'
import { AttestationServiceError } from './errors.ts'
import { VerificationError } from '@carapace/verifier'

const NOW = new Date('2026-12-01T12:00:00Z')
const runtimeData = {
  nonce: 'bm9uY2U=',
  'tee-pubkey': { alg: 'ECDH-ES+A256KW', crv: 'P-256', kty: 'EC', x: 'AAAA', y: 'BBBB' },
  'additional-evidence': '',
}
const INIT_DATA = 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n"note.txt" = "hello"\n'

function sampleRequest(): VerificationRequest {
  const digest = createHash('sha384').update(canonicalize(runtimeData)).digest()
  return {
    tee: 'sample',
    evidence: JSON.stringify({ svn: '1', report_data: digest.toString('base64') }),
    runtimeData: { structured: runtimeData },
    initData: { format: 'toml', body: INIT_DATA },
  }
}

async function setup(referenceValues?: Record<string, unknown>) {
  const storage = createMemoryStorage()
  const rvps = createRvps({ storage, now: () => NOW })
  if (referenceValues !== undefined) {
    await rvps.register({
      version: '0.1.0',
      type: 'sample',
      payload: Buffer.from(JSON.stringify(referenceValues)).toString('base64'),
    })
  }
  return createAttestationService({ storage, rvps, now: () => NOW, insecureAllowSampleTee: true })
}

function entry<T>(record: Readonly<Record<string, T>>, name: string): T {
  const value = record[name]
  assert.ok(value !== undefined, `no ${name}`)
  return value
}

const MATCHING = { launch_digest: ['abcde'], svn: ['1'], major_version: 1, minimum_minor_version: 0 }

test('sample evidence with matching reference values → affirming token verifiable with its header JWK', async () => {
  const as = await setup(MATCHING)
  const { token, explanation } = await as.evaluate(sampleRequest())
  const header = decodeProtectedHeader(token)
  assert.deepEqual(header.jwk, as.jwk)
  const { payload } = await jwtVerify(token, await importJWK({ ...header.jwk }, 'ES256'), { currentDate: NOW })
  const iat = NOW.getTime() / 1000
  assert.equal(payload.iat, iat)
  assert.equal(payload.exp, iat + 300)
  assert.equal(payload.iss, 'CoCo-Attestation-Service')
  const submods = payload['submods'] as Record<string, JsonObject>
  assert.deepEqual(Object.keys(submods), ['cpu0'])
  const cpu0 = submods['cpu0']
  assert.ok(cpu0 !== undefined)
  assert.equal(cpu0['ear.status'], 'affirming')
  assert.equal(cpu0['ear.appraisal-policy-id'], 'default')
  assert.deepEqual(cpu0['ear.trustworthiness-vector'], {
    'instance-identity': 0,
    configuration: 2,
    executables: 3,
    'file-system': 0,
    hardware: 2,
    'runtime-opaque': 0,
    'storage-opaque': 0,
    'sourced-data': 0,
  })
  const initDigest = createHash('sha256').update(INIT_DATA).digest('base64')
  assert.deepEqual(cpu0['ear.veraison.annotated-evidence'], {
    sample: { svn: '1', launch_digest: 'abcde', platform_version: { major: 1, minor: 4 }, debug: false },
    report_data: createHash('sha384').update(canonicalize(runtimeData)).digest('base64'),
    runtime_data_claims: runtimeData,
    init_data: initDigest,
    init_data_claims: { 'note.txt': 'hello' },
  })
  assert.equal(entry(explanation.submods, 'cpu0').status, 'affirming')
  assert.equal(entry(explanation.submods, 'cpu0').policyId, 'default_cpu')
})

test('without reference values → contraindicated, and the explanation says why', async () => {
  const as = await setup()
  const { payload, explanation } = await as.evaluate([sampleRequest()], [])
  const cpu0 = entry(payload['submods'] as Record<string, JsonObject>, 'cpu0')
  assert.equal(cpu0['ear.status'], 'contraindicated')
  const why = entry(explanation.submods, 'cpu0')
  assert.deepEqual(valueAndSource(why.trustClaims.hardware), { value: 97, source: 'default' })
  assert.deepEqual(why.trustClaims.configuration, { value: 2, source: 'rule' })
  assert.ok(why.referenceValues.some((r) => r.id === 'launch_digest' && r.status === 'absent'))
})

test('report data that does not match the runtime data is rejected by the verifier', async () => {
  const as = await setup(MATCHING)
  const request = { ...sampleRequest(), runtimeData: { structured: { ...runtimeData, nonce: 'b3RoZXI=' } } }
  await assert.rejects(
    as.evaluate(request),
    (e: unknown) => e instanceof VerificationError && e.code === 'REPORT_DATA_MISMATCH',
  )
})

test('a stored custom policy is used; a bad one is refused; bad init data is INVALID_REQUEST', async () => {
  const as = await setup()
  await as.setPolicy('strict_cpu', 'package policy\ntrust_claims := {"hardware": 2, "executables": 2}\n')
  const { payload } = await as.evaluate(sampleRequest(), ['strict'])
  const cpu0 = entry(payload['submods'] as Record<string, JsonObject>, 'cpu0')
  assert.equal(cpu0['ear.status'], 'affirming')
  assert.equal(cpu0['ear.appraisal-policy-id'], 'strict')
  assert.deepEqual(cpu0['ear.trustworthiness-vector'], { executables: 2, hardware: 2 })
  await assert.rejects(
    as.setPolicy('strict_cpu', 'package policy\ntrust_claims := {'),
    (e: unknown) => e instanceof AttestationServiceError && e.code === 'POLICY_INVALID',
  )
  await assert.rejects(
    as.evaluate({ ...sampleRequest(), initData: { format: 'toml', body: 'version = "9"' } }),
    (e: unknown) => e instanceof AttestationServiceError && e.code === 'INVALID_REQUEST',
  )
})

test('primary and device evidence → cpu0 and gpu0 appraisals, each under its own class policy', async () => {
  const as = await setup(MATCHING)
  const deviceRuntime = { nonce: runtimeData.nonce, 'tee-pubkey': runtimeData['tee-pubkey'] }
  const deviceDigest = createHash('sha384').update(canonicalize(deviceRuntime)).digest('base64')
  const { token, explanation } = await as.evaluate([
    sampleRequest(),
    {
      tee: 'sampledevice',
      evidence: { svn: '2', report_data: deviceDigest },
      runtimeData: { structured: deviceRuntime },
    },
  ])
  const { payload } = await jwtVerify(
    token,
    await importJWK({ kty: 'EC', crv: 'P-256', x: as.jwk.x, y: as.jwk.y }, 'ES256'),
    { currentDate: NOW },
  )
  const submods = payload['submods'] as Record<string, JsonObject>
  assert.deepEqual(Object.keys(submods), ['cpu0', 'gpu0'])
  const gpu0 = entry(submods, 'gpu0')
  assert.deepEqual(gpu0['ear.veraison.annotated-evidence'], {
    report_data: deviceDigest,
    runtime_data_claims: deviceRuntime,
    sampledevice: { svn: '2' },
  })
  // default_gpu wants data.reference.device_svn, which the AS does not provide: hardware stays 97.
  assert.equal(gpu0['ear.status'], 'contraindicated')
  assert.equal(entry(explanation.submods, 'gpu0').policyId, 'default_gpu')
  assert.deepEqual(valueAndSource(entry(explanation.submods, 'gpu0').trustClaims.hardware), {
    value: 97,
    source: 'default',
  })
})

test('verbose=false drops additional-evidence from runtime_data_claims; raw runtime data is used as-is', async () => {
  const storage = createMemoryStorage()
  const as = createAttestationService({ storage, rvps: createRvps({ storage }), now: () => NOW, verbose: false })
  const withExtra = { ...runtimeData, 'additional-evidence': '{"sampledevice":{}}' }
  const digest = createHash('sha384').update(canonicalize(withExtra)).digest()
  const { payload } = await as.evaluate({
    tee: 'sample',
    evidence: { svn: '1', report_data: digest.toString('base64') },
    runtimeData: { structured: withExtra },
  })
  const evidence = entry(payload['submods'] as Record<string, JsonObject>, 'cpu0')['ear.veraison.annotated-evidence']
  assert.deepEqual((evidence as JsonObject)['runtime_data_claims'], {
    nonce: runtimeData.nonce,
    'tee-pubkey': runtimeData['tee-pubkey'],
  })
  const raw = new Uint8Array(32).fill(7)
  const rawResult = await as.evaluate({
    tee: 'sample',
    evidence: { svn: '1', report_data: Buffer.from(raw).toString('base64') },
    runtimeData: { raw },
  })
  const rawEvidence = entry(rawResult.payload['submods'] as Record<string, JsonObject>, 'cpu0')
  assert.equal((rawEvidence['ear.veraison.annotated-evidence'] as JsonObject)['runtime_data_claims'], null)
})

test('structured runtime data is bound as SHA-384(JCS(json)) (spec worked example)', async () => {
  const as = await setup(MATCHING)
  const digest = Buffer.from(
    'd20490d30e5f16cba693abc1ca3c31ed977d2722d0adf01a980972d16913dc38f103c1f12abf477df0523af2b12e4b43',
    'hex',
  )
  // Key order of the structured value does not matter: JCS sorts it.
  const structured = {
    'tee-pubkey': { y: 'BBBB', x: 'AAAA', kty: 'EC', crv: 'P-256', alg: 'ECDH-ES+A256KW' },
    nonce: 'bm9uY2U=',
    'additional-evidence': '',
  }
  const { payload } = await as.evaluate({
    tee: 'sample',
    evidence: { svn: '1', report_data: digest.toString('base64') },
    runtimeData: { structured },
    hashAlgorithm: 'sha384',
  })
  assert.equal(entry(payload['submods'] as Record<string, JsonObject>, 'cpu0')['ear.status'], 'affirming')
})

/** A trust claim's value and source (a warning or contraindicated one also carries its rule's explanation). */
function valueAndSource(claim: { value: number; source: string }): { value: number; source: string } {
  return { value: claim.value, source: claim.source }
}
