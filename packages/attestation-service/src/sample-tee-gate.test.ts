import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { canonicalize, type JsonObject } from '@carapace/protocol'
import { createRvps } from '@carapace/rvps'
import { createMemoryStorage } from '@carapace/storage'
import { createAttestationService, type VerificationRequest } from './attestation-service.ts'
import { gateSampleTee } from './sample-tee-gate.ts'

const NOW = new Date('2026-12-01T12:00:00Z')
const runtimeData = { nonce: 'bm9uY2U=', 'tee-pubkey': { kty: 'EC', crv: 'P-256', x: 'AA', y: 'BB' } }
const MATCHING = { launch_digest: ['abcde'], svn: ['1'], major_version: 1, minimum_minor_version: 0 }

function sampleRequest(): VerificationRequest {
  const digest = createHash('sha384').update(canonicalize(runtimeData)).digest()
  return {
    tee: 'sample',
    evidence: { svn: '1', report_data: digest.toString('base64') },
    runtimeData: { structured: runtimeData },
  }
}

async function service(insecureAllowSampleTee?: boolean) {
  const storage = createMemoryStorage()
  const rvps = createRvps({ storage, now: () => NOW })
  await rvps.register({
    version: '0.1.0',
    type: 'sample',
    payload: Buffer.from(JSON.stringify(MATCHING)).toString('base64'),
  })
  return createAttestationService({
    storage,
    rvps,
    now: () => NOW,
    ...(insecureAllowSampleTee === undefined ? {} : { insecureAllowSampleTee }),
  })
}

function cpu0(payload: JsonObject): JsonObject {
  const submod = (payload['submods'] as Record<string, JsonObject>)['cpu0']
  assert.ok(submod !== undefined)
  return submod
}

test('by default sample evidence gets hardware 97, is contraindicated, and the explanation names the flag', async () => {
  const as = await service()
  const { payload, explanation } = await as.evaluate(sampleRequest())
  const submod = cpu0(payload)
  assert.equal(submod['ear.status'], 'contraindicated')
  assert.equal((submod['ear.trustworthiness-vector'] as JsonObject)['hardware'], 97)
  const explained = explanation.submods['cpu0']
  assert.ok(explained !== undefined)
  assert.equal(explained.status, 'contraindicated')
  assert.match(explained.sampleTeeGate ?? '', /--insecure-allow-sample-tee/)
  assert.match(explained.sampleTeeGate ?? '', /no real TEE/)
})

test('with insecureAllowSampleTee the policy alone decides (affirming with matching reference values)', async () => {
  const as = await service(true)
  const { payload, explanation } = await as.evaluate(sampleRequest())
  assert.equal(cpu0(payload)['ear.status'], 'affirming')
  assert.equal((cpu0(payload)['ear.trustworthiness-vector'] as JsonObject)['hardware'], 2)
  assert.equal(explanation.submods['cpu0']?.sampleTeeGate, undefined)
})

test('the gate touches only sample and sampledevice appraisals', () => {
  const vector = { hardware: 2, executables: 3 }
  assert.deepEqual(gateSampleTee('snp', vector, false), { trustVector: vector, capped: false })
  assert.deepEqual(gateSampleTee('sampledevice', vector, false), {
    trustVector: { hardware: 97, executables: 3 },
    capped: true,
  })
  assert.deepEqual(gateSampleTee('sample', vector, true), { trustVector: vector, capped: false })
})
