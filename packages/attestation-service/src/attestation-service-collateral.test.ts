import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { createRvps } from '@carapace/rvps'
import { createMemoryStorage } from '@carapace/storage'
import {
  CollateralError,
  snpEvidenceJson,
  VerificationError,
  type CollateralRequest,
  type CollateralSource,
} from '@carapace/verifier'
import { createAttestationService, type VerificationRequest } from './attestation-service.ts'

// A real Milan report (no certificate table) and its VCEK: packages/verifier/fixtures/snp/README.md.
const fixtures = new URL('../../verifier/fixtures/snp/', import.meta.url)
const report = new Uint8Array(readFileSync(new URL('oak-milan-oc-report.bin', fixtures)))
const vcek = new Uint8Array(readFileSync(new URL('oak-milan-oc-vcek.der', fixtures)))
const REPORT_DATA_OFFSET = 0x50

function recordingSource(answers: Partial<Record<CollateralRequest['kind'], Uint8Array>>) {
  const requests: CollateralRequest[] = []
  const source: CollateralSource = {
    get(request) {
      requests.push(request)
      const body = answers[request.kind]
      return Promise.resolve(body === undefined ? undefined : { body })
    },
  }
  return { source, requests }
}

function snpRequest(): VerificationRequest {
  return {
    tee: 'snp',
    evidence: JSON.parse(snpEvidenceJson(report, null)) as unknown,
    runtimeData: { raw: report.slice(REPORT_DATA_OFFSET, REPORT_DATA_OFFSET + 64) },
  }
}

function service(now: Date, collateral?: CollateralSource) {
  const storage = createMemoryStorage()
  const rvps = createRvps({ storage, now: () => now })
  return createAttestationService({ storage, rvps, now: () => now, ...(collateral ? { collateral } : {}) })
}

test('the collateral source and the clock reach the verifier: VCEK looked up, claims in the token', async () => {
  const { source, requests } = recordingSource({ 'amd-vcek': vcek })
  const as = service(new Date('2025-09-12T00:00:00Z'), source)
  const { payload } = await as.evaluate(snpRequest())
  const cpu0 = (payload['submods'] as Record<string, JsonObject>)['cpu0']
  assert.ok(cpu0 !== undefined)
  const snp = (cpu0['ear.veraison.annotated-evidence'] as JsonObject)['snp'] as JsonObject
  assert.equal(snp['chip_id'], Buffer.from(report.subarray(0x1a0, 0x1e0)).toString('hex'))
  assert.equal(snp['reported_tcb_microcode'], 219)
  const vcekRequest = requests.find((r) => r.kind === 'amd-vcek')
  assert.ok(vcekRequest?.kind === 'amd-vcek')
  assert.equal(vcekRequest.product, 'Milan')
  assert.deepEqual(vcekRequest.tcb, { bootloader: 4, tee: 0, snp: 24, microcode: 219 })
})

test('the verification time is the service clock: the same evidence after the VCEK expired is refused', async () => {
  const { source } = recordingSource({ 'amd-vcek': vcek })
  const as = service(new Date('2033-01-01T00:00:00Z'), source)
  await assert.rejects(
    as.evaluate(snpRequest()),
    (e: unknown) => e instanceof VerificationError && e.code === 'CERT_EXPIRED',
  )
})

test('without collateral a report with no VCEK is COLLATERAL_UNAVAILABLE', async () => {
  await assert.rejects(
    service(new Date('2025-09-12T00:00:00Z')).evaluate(snpRequest()),
    (e: unknown) => e instanceof VerificationError && e.code === 'COLLATERAL_UNAVAILABLE',
  )
})

test('a failing collateral source is COLLATERAL_UNAVAILABLE', async () => {
  const failing: CollateralSource = {
    get: () => Promise.reject(new CollateralError('HTTP_ERROR', 'https://kds.test/vcek: HTTP 503')),
  }
  const as = service(new Date('2025-09-12T00:00:00Z'), failing)
  await assert.rejects(
    as.evaluate(snpRequest()),
    (e: unknown) => e instanceof VerificationError && e.code === 'COLLATERAL_UNAVAILABLE',
  )
})
