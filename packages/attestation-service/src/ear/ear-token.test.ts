import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose'
import { AttestationServiceError } from '../errors.ts'
import { createEarSigner } from './ear-signer.ts'
import { createEarBroker } from './ear-token.ts'

const vector = {
  'instance-identity': 0,
  configuration: 2,
  executables: 3,
  'file-system': 0,
  hardware: 2,
  'runtime-opaque': 0,
  'storage-opaque': 0,
  'sourced-data': 0,
}

test('token header and payload follow the Trustee layout; the signature verifies with the header JWK', async () => {
  const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' })
  const signer = createEarSigner({ keyPem: String(pem), certChainDer: [new Uint8Array([1, 2, 3])] })
  const broker = createEarBroker({ signer, now: () => new Date('2026-12-01T00:00:00Z') })
  const { token } = broker.issue({
    cpu0: {
      trustVector: vector,
      policyId: 'default',
      annotatedEvidence: { sample: { svn: '1' } },
      extensions: { 'ear.trustee.identifiers': { validated: {} } },
    },
  })
  const header = decodeProtectedHeader(token)
  assert.deepEqual(Object.keys(header), ['typ', 'alg', 'jwk'])
  assert.deepEqual(Object.keys(header.jwk ?? {}), ['kty', 'crv', 'alg', 'x', 'y', 'x5c'])
  assert.deepEqual(header.jwk?.x5c, ['AQID'])
  const key = await importJWK({ ...header.jwk, x5c: undefined }, 'ES256')
  const iat = Date.parse('2026-12-01T00:00:00Z') / 1000
  const { payload } = await jwtVerify(token, key, { currentDate: new Date('2026-12-01T00:01:00Z') })
  assert.deepEqual(payload, {
    eat_profile: 'tag:github.com,2024:confidential-containers/Trustee',
    iat,
    'ear.verifier-id': { developer: 'https://confidentialcontainers.org', build: 'attestation-service 0.1.0' },
    submods: {
      cpu0: {
        'ear.status': 'affirming',
        'ear.trustworthiness-vector': vector,
        'ear.appraisal-policy-id': 'default',
        'ear.veraison.annotated-evidence': { sample: { svn: '1' } },
        'ear.trustee.identifiers': { validated: {} },
      },
    },
    exp: iat + 300,
    iss: 'CoCo-Attestation-Service',
  })
})

test('signing keys other than P-256 are SIGNER_INVALID', () => {
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'pkcs8' })
  for (const keyPem of [String(p384), 'not a key']) {
    assert.throws(
      () => createEarSigner({ keyPem }),
      (e: unknown) => e instanceof AttestationServiceError && e.code === 'SIGNER_INVALID',
    )
  }
})
