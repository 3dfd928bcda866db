import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertProtocolError as rejects } from '../assert-protocol-error.ts'
import { readFixtureJson } from '../fixture-path.ts'
import { attestationToWire, parseAttestation } from './attestation.ts'
import { attestationResponseToWire, parseAttestationResponse } from './attestation-response.ts'
import { parseTeePubKey, teePubKeyToWire } from './tee-pubkey.ts'

const binding = (readFixtureJson('derived/kbs-jwe-and-runtime-data.json') as Record<string, Record<string, unknown>>)[
  'runtime_data_binding'
]

function valid(): Record<string, unknown> {
  return {
    'runtime-data': { nonce: 'n', 'tee-pubkey': { kty: 'RSA', alg: 'RSA-OAEP-256', n: 'AQAB', e: 'AQAB' } },
    'tee-evidence': { primary_evidence: { svn: '1' }, additional_evidence: '' },
  }
}

describe('Attestation', () => {
  it('round-trips the recorded /attest body byte for byte', () => {
    const wire = binding?.['attest_request_body']
    const attestation = parseAttestation(wire)
    assert.equal(attestation.initData, null)
    assert.equal(attestation.teeEvidence.additionalEvidence, '')
    assert.equal(JSON.stringify(attestationToWire(attestation)), JSON.stringify(wire))
  })

  it('keeps init-data and writes an absent one as null', () => {
    const withInitData = parseAttestation({ ...valid(), 'init-data': { format: 'toml', body: 'version = "0.1.0"' } })
    assert.deepEqual(withInitData.initData, { format: 'toml', body: 'version = "0.1.0"' })
    assert.equal(
      JSON.stringify(attestationToWire(withInitData)),
      '{"init-data":{"format":"toml","body":"version = \\"0.1.0\\""},"runtime-data":{"nonce":"n",' +
        '"tee-pubkey":{"kty":"RSA","alg":"RSA-OAEP-256","n":"AQAB","e":"AQAB"}},' +
        '"tee-evidence":{"primary_evidence":{"svn":"1"},"additional_evidence":""}}',
    )
    assert.equal(attestationToWire(parseAttestation(valid()))['init-data'], null)
  })

  it('rejects malformed bodies naming the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid(), 'init-data': 'toml' }, 'Attestation.init-data'],
      [{ ...valid(), 'init-data': { body: 'x' } }, 'Attestation.init-data.format'],
      [{ ...valid(), 'init-data': { format: 'toml', body: 1 } }, 'Attestation.init-data.body'],
      [{ ...valid(), 'runtime-data': undefined }, 'Attestation.runtime-data'],
      [{ ...valid(), 'runtime-data': { 'tee-pubkey': {} } }, 'Attestation.runtime-data.nonce'],
      [{ ...valid(), 'runtime-data': { nonce: 'n' } }, 'Attestation.runtime-data.tee-pubkey'],
      [{ ...valid(), 'tee-evidence': [] }, 'Attestation.tee-evidence'],
      [{ ...valid(), 'tee-evidence': { additional_evidence: '' } }, 'Attestation.tee-evidence.primary_evidence'],
      [{ ...valid(), 'tee-evidence': { primary_evidence: {} } }, 'Attestation.tee-evidence.additional_evidence'],
      [
        { ...valid(), 'tee-evidence': { primary_evidence: {}, additional_evidence: {} } },
        'Attestation.tee-evidence.additional_evidence',
      ],
      [
        { ...valid(), 'tee-evidence': { primaryEvidence: {}, additional_evidence: '' } },
        'Attestation.tee-evidence.primary_evidence',
      ],
    ]
    for (const [body, field] of cases) rejects(() => parseAttestation(body), 'MALFORMED', field)
    rejects(() => parseAttestation(null), 'MALFORMED', 'Attestation')
  })
})

describe('WireTeePubKey', () => {
  it('drops unknown members and re-serialises in upstream order', () => {
    const ec = parseTeePubKey({ y: 'Y', x: 'X', use: 'enc', kid: 'k', alg: 'ECDH-ES+A256KW', crv: 'P-521', kty: 'EC' })
    assert.equal(
      JSON.stringify(teePubKeyToWire(ec)),
      '{"kty":"EC","crv":"P-521","alg":"ECDH-ES+A256KW","x":"X","y":"Y"}',
    )
    const rsa = parseTeePubKey({ e: 'AQAB', n: 'N', alg: 'RSA-OAEP-256', kty: 'RSA', d: 'secret' })
    assert.equal(JSON.stringify(teePubKeyToWire(rsa)), '{"kty":"RSA","alg":"RSA-OAEP-256","n":"N","e":"AQAB"}')
    const akp = parseTeePubKey({ pub: 'P', alg: 'ML-KEM-768+A192KW', kty: 'AKP' })
    assert.equal(JSON.stringify(teePubKeyToWire(akp)), '{"kty":"AKP","alg":"ML-KEM-768+A192KW","pub":"P"}')
  })

  it('rejects unknown key types and missing members', () => {
    rejects(() => parseTeePubKey('jwk'), 'MALFORMED', 'tee-pubkey')
    rejects(() => parseTeePubKey({ crv: 'P-256' }), 'MALFORMED', 'tee-pubkey.kty')
    rejects(() => parseTeePubKey({ kty: 'OKP', crv: 'X25519', x: 'X' }), 'MALFORMED', 'tee-pubkey.kty')
    rejects(() => parseTeePubKey({ kty: 'ec', crv: 'P-256', alg: 'a', x: 'X', y: 'Y' }), 'MALFORMED', 'tee-pubkey.kty')
    rejects(() => parseTeePubKey({ kty: 'EC', crv: 'P-256', alg: 'a', x: 'X' }), 'MALFORMED', 'tee-pubkey.y')
    rejects(() => parseTeePubKey({ kty: 'EC', alg: 'a', x: 'X', y: 'Y' }), 'MALFORMED', 'tee-pubkey.crv')
    rejects(() => parseTeePubKey({ kty: 'RSA', alg: 'a', n: 'N' }), 'MALFORMED', 'tee-pubkey.e')
    rejects(() => parseTeePubKey({ kty: 'RSA', alg: 1, n: 'N', e: 'E' }), 'MALFORMED', 'tee-pubkey.alg')
    rejects(() => parseTeePubKey({ kty: 'AKP', alg: 'a' }), 'MALFORMED', 'tee-pubkey.pub')
  })
})

describe('AttestationResponse', () => {
  it('round-trips and rejects a missing or non-string token', () => {
    assert.equal(
      JSON.stringify(attestationResponseToWire(parseAttestationResponse({ token: 'a.b.c' }))),
      '{"token":"a.b.c"}',
    )
    rejects(() => parseAttestationResponse({}), 'MALFORMED', 'AttestationResponse.token')
    rejects(() => parseAttestationResponse({ token: null }), 'MALFORMED', 'AttestationResponse.token')
    rejects(() => parseAttestationResponse('a.b.c'), 'MALFORMED', 'AttestationResponse')
  })
})
