import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertProtocolError as rejects } from '../assert-protocol-error.ts'
import { readFixtureJson } from '../fixture-path.ts'
import { challengeToWire, parseChallenge } from './challenge.ts'
import { KBS_PROTOCOL_VERSION, parseRequest, requestToWire } from './request.ts'
import { TEE_NAMES } from './tee.ts'

const binding = (readFixtureJson('derived/kbs-jwe-and-runtime-data.json') as Record<string, Record<string, unknown>>)[
  'runtime_data_binding'
]

describe('Request', () => {
  it('round-trips the recorded /auth body byte for byte', () => {
    const wire = binding?.['auth_request_body']
    const request = parseRequest(wire)
    assert.equal(request.version, KBS_PROTOCOL_VERSION)
    assert.equal(request.tee, 'sample')
    assert.equal(JSON.stringify(requestToWire(request)), JSON.stringify(wire))
    assert.equal(
      JSON.stringify(requestToWire(request)),
      '{"version":"0.4.0","tee":"sample","extra-params":{"supported-hash-algorithms":["sha256","sha384","sha512","sm3"]}}',
    )
  })

  it('accepts every TEE wire name and null/string extra-params; drops unknown members', () => {
    for (const tee of TEE_NAMES) {
      assert.equal(parseRequest({ version: '0.4.0', tee, 'extra-params': '' }).tee, tee)
    }
    const request = parseRequest({ version: '0.4.0', tee: 'snp', 'extra-params': null, other: 1 })
    assert.deepEqual(requestToWire(request), { version: '0.4.0', tee: 'snp', 'extra-params': null })
  })

  it('rejects other protocol versions, including the historical 0.2.0 Trustee request', () => {
    rejects(() => parseRequest(readFixtureJson('upstream-trustee/kbs-request.json')), 'UNSUPPORTED_VERSION', 'version')
    for (const version of ['0.3.0', '0.4.1', '0.4', ' 0.4.0', '']) {
      rejects(() => parseRequest({ version, tee: 'snp', 'extra-params': '' }), 'UNSUPPORTED_VERSION', 'version')
    }
  })

  it('rejects unknown TEEs with UNSUPPORTED_TEE', () => {
    for (const tee of ['sev', 'SNP', 'azsnpvtpm', 'nvidia_dpu', '']) {
      rejects(() => parseRequest({ version: '0.4.0', tee, 'extra-params': '' }), 'UNSUPPORTED_TEE', 'Request.tee')
    }
  })

  it('rejects malformed bodies naming the field', () => {
    rejects(() => parseRequest(null), 'MALFORMED', 'Request')
    rejects(() => parseRequest([]), 'MALFORMED', 'Request')
    rejects(() => parseRequest('x'), 'MALFORMED', 'Request')
    rejects(() => parseRequest({ tee: 'snp', 'extra-params': '' }), 'MALFORMED', 'Request.version')
    rejects(() => parseRequest({ version: 4, tee: 'snp', 'extra-params': '' }), 'MALFORMED', 'Request.version')
    rejects(() => parseRequest({ version: '0.4.0', 'extra-params': '' }), 'MALFORMED', 'Request.tee')
    rejects(() => parseRequest({ version: '0.4.0', tee: 1, 'extra-params': '' }), 'MALFORMED', 'Request.tee')
    rejects(() => parseRequest({ version: '0.4.0', tee: 'snp' }), 'MALFORMED', 'Request.extra-params')
    rejects(() => parseRequest({ version: '0.4.0', tee: 'snp', extraParams: '' }), 'MALFORMED', 'extra-params')
  })
})

describe('Challenge', () => {
  it('round-trips the recorded challenge', () => {
    const wire = binding?.['challenge']
    const challenge = parseChallenge(wire)
    assert.equal(challenge.extraParams, '')
    assert.equal(JSON.stringify(challengeToWire(challenge)), JSON.stringify(wire))
    assert.equal(
      JSON.stringify(challengeToWire({ nonce: 'n', extraParams: { 'selected-hash-algorithm': 'sha512' } })),
      '{"nonce":"n","extra-params":{"selected-hash-algorithm":"sha512"}}',
    )
  })

  it('rejects malformed challenges', () => {
    rejects(() => parseChallenge(undefined), 'MALFORMED', 'Challenge')
    rejects(() => parseChallenge({ 'extra-params': '' }), 'MALFORMED', 'Challenge.nonce')
    rejects(() => parseChallenge({ nonce: 1, 'extra-params': '' }), 'MALFORMED', 'Challenge.nonce')
    rejects(() => parseChallenge({ nonce: 'n' }), 'MALFORMED', 'Challenge.extra-params')
    rejects(() => parseChallenge({ nonce: 'n', 'extra-params': NaN }), 'MALFORMED', 'Challenge.extra-params')
  })
})
