import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertProtocolError } from '../assert-protocol-error.ts'
import type { JsonObject } from '../jcs/json-value.ts'
import { parseEarClaims, TRUSTEE_EAR_PROFILE } from './ear-claims.ts'

/** A payload laid out as Trustee's broker writes it (kbs reference §2.2). */
function samplePayload(): JsonObject {
  return {
    eat_profile: TRUSTEE_EAR_PROFILE,
    iat: 1760000000,
    'ear.verifier-id': { developer: 'https://confidentialcontainers.org', build: 'attestation-service 0.1.0' },
    submods: {
      cpu0: {
        'ear.status': 'affirming',
        'ear.trustworthiness-vector': {
          'instance-identity': 0,
          configuration: 2,
          executables: 3,
          'file-system': 0,
          hardware: 2,
          'runtime-opaque': 0,
          'storage-opaque': 0,
          'sourced-data': 0,
        },
        'ear.appraisal-policy-id': 'default',
        'ear.veraison.annotated-evidence': {
          sample: { svn: '1', launch_digest: 'abcde' },
          report_data: 'lZ2n',
          runtime_data_claims: {
            'tee-pubkey': { kty: 'EC', crv: 'P-256', alg: 'ECDH-ES+A256KW', x: 'X', y: 'Y' },
            nonce: 'n',
            'additional-evidence': '',
          },
        },
        'ear.trustee.identifiers': { validated: { container_images: ['bitnami/nginx:latest'] } },
      },
      gpu0: { 'ear.status': 'none' },
    },
    exp: 1760000300,
    iss: 'CoCo-Attestation-Service',
  }
}

describe('parseEarClaims', () => {
  it("reads Trustee's payload layout", () => {
    const claims = parseEarClaims(samplePayload())
    assert.equal(claims.eatProfile, TRUSTEE_EAR_PROFILE)
    assert.equal(claims.iat, 1760000000)
    assert.equal(claims.exp, 1760000300)
    assert.equal(claims.iss, 'CoCo-Attestation-Service')
    assert.deepEqual(claims.verifierId, {
      developer: 'https://confidentialcontainers.org',
      build: 'attestation-service 0.1.0',
    })
    const cpu = claims.submods['cpu0']
    assert.ok(cpu)
    assert.equal(cpu.status, 'affirming')
    assert.equal(cpu.trustworthinessVector.executables, 3)
    assert.equal(cpu.appraisalPolicyId, 'default')
    assert.deepEqual(cpu.annotatedEvidence?.['sample'], { svn: '1', launch_digest: 'abcde' })
    assert.deepEqual(cpu.trusteeIdentifiers, { validated: { container_images: ['bitnami/nginx:latest'] } })
    const gpu = claims.submods['gpu0']
    assert.deepEqual(gpu, {
      status: 'none',
      trustworthinessVector: {},
      appraisalPolicyId: undefined,
      annotatedEvidence: undefined,
      trusteeIdentifiers: undefined,
    })
    assert.equal(claims.payload['iss'], 'CoCo-Attestation-Service')
  })

  it('accepts status names in any case and the integer forms, and no exp/iss', () => {
    const payload = samplePayload()
    delete payload['exp']
    delete payload['iss']
    const submods = payload['submods'] as Record<string, JsonObject>
    submods['cpu0'] = { 'ear.status': 'WaRniNg' }
    submods['gpu0'] = { 'ear.status': 96 }
    const claims = parseEarClaims(payload)
    assert.equal(claims.exp, undefined)
    assert.equal(claims.iss, undefined)
    assert.equal(claims.submods['cpu0']?.status, 'warning')
    assert.equal(claims.submods['gpu0']?.status, 'contraindicated')
  })

  it('rejects malformed payloads naming the field', () => {
    const cases: [(p: JsonObject) => void, string][] = [
      [(p) => delete p['eat_profile'], 'EAR.eat_profile'],
      [(p) => (p['iat'] = '1760000000'), 'EAR.iat'],
      [(p) => (p['iat'] = 1.5), 'EAR.iat'],
      [(p) => (p['exp'] = null), 'EAR.exp'],
      [(p) => (p['iss'] = 1), 'EAR.iss'],
      [(p) => delete p['ear.verifier-id'], 'EAR.ear.verifier-id'],
      [(p) => (p['ear.verifier-id'] = { developer: 'd' }), 'EAR.ear.verifier-id.build'],
      [(p) => (p['submods'] = []), 'EAR.submods'],
      [(p) => ((p['submods'] as JsonObject)['cpu0'] = 'x'), 'EAR.submods.cpu0'],
      [(p) => ((p['submods'] as JsonObject)['gpu0'] = {}), 'EAR.submods.gpu0.ear.status'],
      [(p) => ((p['submods'] as JsonObject)['gpu0'] = { 'ear.status': 'ok' }), 'EAR.submods.gpu0.ear.status'],
      [(p) => ((p['submods'] as JsonObject)['gpu0'] = { 'ear.status': 3 }), 'EAR.submods.gpu0.ear.status'],
      [
        (p) => ((p['submods'] as JsonObject)['gpu0'] = { 'ear.status': 'none', 'ear.trustworthiness-vector': [] }),
        'EAR.submods.gpu0.ear.trustworthiness-vector',
      ],
      [
        (p) =>
          ((p['submods'] as JsonObject)['gpu0'] = { 'ear.status': 'none', 'ear.trustworthiness-vector': { speed: 2 } }),
        'EAR.submods.gpu0.ear.trustworthiness-vector.speed',
      ],
      [
        (p) =>
          ((p['submods'] as JsonObject)['gpu0'] = {
            'ear.status': 'none',
            'ear.trustworthiness-vector': { hardware: 128 },
          }),
        'EAR.submods.gpu0.ear.trustworthiness-vector.hardware',
      ],
      [
        (p) => ((p['submods'] as JsonObject)['gpu0'] = { 'ear.status': 'none', 'ear.appraisal-policy-id': 1 }),
        'EAR.submods.gpu0.ear.appraisal-policy-id',
      ],
      [
        (p) =>
          ((p['submods'] as JsonObject)['gpu0'] = { 'ear.status': 'none', 'ear.veraison.annotated-evidence': 'x' }),
        'EAR.submods.gpu0.ear.veraison.annotated-evidence',
      ],
    ]
    for (const [mutate, field] of cases) {
      const payload = samplePayload()
      mutate(payload)
      assertProtocolError(() => parseEarClaims(payload), 'MALFORMED', field)
    }
    assertProtocolError(() => parseEarClaims('a.b.c'), 'MALFORMED', 'EAR')
  })
})
