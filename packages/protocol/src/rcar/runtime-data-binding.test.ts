import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertProtocolError as rejects } from '../assert-protocol-error.ts'
import { readFixtureJson } from '../fixture-path.ts'
import { canonicalize } from '../jcs/canonicalize.ts'
import { parseAttestation } from './attestation.ts'
import { parseChallenge } from './challenge.ts'
import { newNonce } from './nonce.ts'
import { runtimeDataBinding, runtimeDataObject, selectedHashAlgorithm } from './runtime-data-binding.ts'

const binding = (readFixtureJson('derived/kbs-jwe-and-runtime-data.json') as Record<string, Record<string, unknown>>)[
  'runtime_data_binding'
] as Record<string, unknown>

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('runtimeDataBinding', () => {
  const attestation = parseAttestation(binding['attest_request_body'])
  const { nonce, teePubKey } = attestation.runtimeData
  const primary = { nonce, teePubKey, additionalEvidence: attestation.teeEvidence.additionalEvidence }

  it('matches the vector JCS texts for primary and device runtime data', () => {
    assert.equal(canonicalize(runtimeDataObject(primary)), binding['primary_runtime_data_jcs'])
    assert.equal(canonicalize(runtimeDataObject({ nonce, teePubKey })), binding['device_runtime_data_jcs'])
  })

  it('matches the vector digests', () => {
    assert.equal(hex(runtimeDataBinding(primary, 'sha384')), binding['primary_report_data_sha384_hex'])
    assert.equal(hex(runtimeDataBinding(primary, 'sha256')), binding['primary_report_data_sha256_hex'])
    assert.equal(hex(runtimeDataBinding(primary, 'sha512')), binding['primary_report_data_sha512_hex'])
    assert.equal(hex(runtimeDataBinding({ nonce, teePubKey }, 'sha384')), binding['device_report_data_sha384_hex'])
    const evidence = binding['sample_primary_evidence'] as Record<string, string>
    assert.equal(Buffer.from(runtimeDataBinding(primary, 'sha384')).toString('base64'), evidence['report_data'])
  })

  it('matches the worked example of the KBS reference', () => {
    const digest = runtimeDataBinding(
      {
        nonce: 'bm9uY2U=',
        teePubKey: { kty: 'EC', crv: 'P-256', alg: 'ECDH-ES+A256KW', x: 'AAAA', y: 'BBBB' },
        additionalEvidence: '',
      },
      'sha384',
    )
    assert.equal(
      hex(digest),
      'd20490d30e5f16cba693abc1ca3c31ed977d2722d0adf01a980972d16913dc38f103c1f12abf477df0523af2b12e4b43',
    )
  })
})

describe('selectedHashAlgorithm', () => {
  it('defaults to sha384 when nothing is selected', () => {
    assert.equal(selectedHashAlgorithm(parseChallenge(binding['challenge'])), 'sha384')
    assert.equal(selectedHashAlgorithm({ nonce: 'n', extraParams: {} }), 'sha384')
    assert.equal(selectedHashAlgorithm({ nonce: 'n', extraParams: null }), 'sha384')
    assert.equal(selectedHashAlgorithm({ nonce: 'n', extraParams: ['sha512'] }), 'sha384')
  })

  it('reads the selected name case-insensitively', () => {
    for (const [name, hash] of [
      ['sha512', 'sha512'],
      ['SHA256', 'sha256'],
      ['Sha384', 'sha384'],
    ] as const) {
      assert.equal(selectedHashAlgorithm({ nonce: 'n', extraParams: { 'selected-hash-algorithm': name } }), hash)
    }
  })

  it('rejects non-string and unknown selections', () => {
    const field = 'selected-hash-algorithm'
    rejects(() => selectedHashAlgorithm({ nonce: 'n', extraParams: { [field]: 512 } }), 'MALFORMED', field)
    rejects(() => selectedHashAlgorithm({ nonce: 'n', extraParams: { [field]: null } }), 'MALFORMED', field)
    rejects(
      () => selectedHashAlgorithm({ nonce: 'n', extraParams: { [field]: 'sha-384' } }),
      'UNSUPPORTED_ALGORITHM',
      field,
    )
    rejects(
      () => selectedHashAlgorithm({ nonce: 'n', extraParams: { [field]: 'sm3' } }),
      'UNSUPPORTED_ALGORITHM',
      field,
    )
  })
})

describe('newNonce', () => {
  it('encodes 32 injected bytes as padded standard base64', () => {
    const nonce = newNonce((size) => new Uint8Array(size).fill(0xfb))
    assert.equal(nonce.length, 44)
    assert.equal(nonce, Buffer.alloc(32, 0xfb).toString('base64'))
    assert.match(nonce, /^[A-Za-z0-9+/]{43}=$/)
    assert.ok(nonce.includes('+') || nonce.includes('/'))
  })

  it('refuses a random source that returns the wrong length', () => {
    rejects(() => newNonce(() => new Uint8Array(16)), 'MALFORMED', 'nonce')
  })
})
