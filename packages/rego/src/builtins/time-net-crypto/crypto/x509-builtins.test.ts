import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { RegoObject, type Value } from '../../../value/value.ts'
import { chargingContext, expectLimitError } from '../../bounds-test-support.ts'
import { PUBLIC_KEY_UNITS } from '../../work.ts'
import { call, expectError, testContext } from '../test-calls.ts'
import {
  CSR_PEM,
  EC_CHAIN_PEM,
  GOOGLE_CERT_DER_BASE64,
  KEYPAIR_CERT_PEM,
  KEYPAIR_KEY_PEM,
  RSA_PRIVATE_KEY_PEM,
  SPIFFE_CHAIN_PEM,
} from './fixtures/opa-test-data.ts'

function field(v: Value | undefined, ...path: (string | number)[]): Value | undefined {
  let cur: Value | undefined = v
  for (const p of path) {
    if (typeof p === 'number') cur = Array.isArray(cur) ? cur[p] : undefined
    else cur = cur instanceof RegoObject ? cur.get(p) : undefined
  }
  return cur
}

const NS_2025 = 1_735_689_600_000_000_000n

describe('crypto.x509.parse_certificates', () => {
  it("returns Go's certificate fields", () => {
    const certs = call('crypto.x509.parse_certificates', [EC_CHAIN_PEM])
    assert.ok(Array.isArray(certs))
    assert.deepEqual(
      certs.map((c) => field(c, 'Subject', 'CommonName')),
      ['OPA Test Root CA', 'OPA Test Intermediate CA', 'notarealsite.opa.localhost'],
    )
    const leaf = certs[2]
    assert.deepEqual(field(leaf, 'DNSNames'), ['notarealsite.opa.localhost'])
    assert.equal(field(leaf, 'URIStrings'), null)
    assert.equal(field(leaf, 'Version'), 3)
    assert.equal(field(leaf, 'SignatureAlgorithm'), 10)
    assert.equal(field(leaf, 'PublicKeyAlgorithm'), 3)
    assert.deepEqual(field(leaf, 'ExtKeyUsage'), [1, 2])
    assert.equal(field(leaf, 'KeyUsage'), 1)
    assert.equal(field(leaf, 'NotBefore'), '2021-07-05T17:49:50Z')
    assert.deepEqual(field(leaf, 'Issuer', 'Organization'), ['OPA Test'])
    assert.equal(field(certs[0], 'IsCA'), true)
    assert.equal(field(certs[0], 'MaxPathLen'), 1)
  })

  it('reads base64 DER and base64 PEM', () => {
    const google = call('crypto.x509.parse_certificates', [GOOGLE_CERT_DER_BASE64])
    assert.equal(field(google, 0, 'Subject', 'CommonName'), 'mail.google.com')
    const spiffe = call('crypto.x509.parse_certificates', [Buffer.from(SPIFFE_CHAIN_PEM).toString('base64')])
    assert.deepEqual(field(spiffe, 1, 'URIStrings'), ['spiffe://example.com/opa'])
    assert.equal(field(spiffe, 1, 'URIs', 0, 'Host'), 'example.com')
  })

  it('fails like Go on bad input', () => {
    expectError('crypto.x509.parse_certificates', ['YmFkc3RyaW5n'], 'eval_builtin_error', 'x509: malformed certificate')
    expectError(
      'crypto.x509.parse_certificates',
      ['foobar'],
      'eval_builtin_error',
      'illegal base64 data at input byte 4',
    )
    expectError(
      'crypto.x509.parse_certificates',
      [CSR_PEM],
      'eval_builtin_error',
      "PEM block type is 'CERTIFICATE REQUEST', expected CERTIFICATE",
    )
  })
})

describe('crypto.x509.parse_and_verify_certificates', () => {
  it('verifies root → intermediate → leaf and returns the chain leaf first', () => {
    const r = call('crypto.x509.parse_and_verify_certificates', [EC_CHAIN_PEM], testContext(NS_2025))
    assert.equal(field(r, 0), true)
    assert.deepEqual(
      (field(r, 1) as Value[]).map((c) => field(c, 'Subject', 'CommonName')),
      ['notarealsite.opa.localhost', 'OPA Test Intermediate CA', 'OPA Test Root CA'],
    )
  })

  it('rejects broken chains and expired certificates', () => {
    const blocks = EC_CHAIN_PEM.split(/(?<=-----END CERTIFICATE-----\n)/)
    const noIntermediate = `${blocks[0]}${blocks[2]}`
    assert.deepEqual(call('crypto.x509.parse_and_verify_certificates', [noIntermediate], testContext(NS_2025)), [
      false,
      [],
    ])
    const late = testContext(2_000_000_000_000_000_000n)
    assert.deepEqual(call('crypto.x509.parse_and_verify_certificates', [EC_CHAIN_PEM], late), [false, []])
    assert.deepEqual(call('crypto.x509.parse_and_verify_certificates', ['garbage']), [false, []])
  })

  it('honours options', () => {
    const opts = (o: Record<string, Value>) => RegoObject.from(Object.entries(o))
    const verify = (o: Record<string, Value>) =>
      call('crypto.x509.parse_and_verify_certificates_with_options', [EC_CHAIN_PEM, opts(o)], testContext(NS_2025))
    assert.equal(field(verify({ DNSName: 'notarealsite.opa.localhost' }), 0), true)
    assert.equal(field(verify({ DNSName: 'example.com' }), 0), false)
    assert.equal(field(verify({ KeyUsages: ['KeyUsageClientAuth'] }), 0), true)
    assert.equal(field(verify({ KeyUsages: ['KeyUsageCodeSigning'] }), 0), false)
    assert.equal(field(verify({ CurrentTime: 1_600_000_000_000_000_000 }), 0), false)
    expectError(
      'crypto.x509.parse_and_verify_certificates_with_options',
      [EC_CHAIN_PEM, opts({ KeyUsages: ['Nope'] })],
      'eval_builtin_error',
      "invalid entries for 'KeyUsages' found: [Nope]",
    )
    expectError(
      'crypto.x509.parse_and_verify_certificates_with_options',
      [EC_CHAIN_PEM, opts({ X: 1 })],
      'eval_builtin_error',
      'invalid key option',
    )
  })
})

describe('crypto.x509.parse_certificate_request', () => {
  it('reads PEM, base64 PEM and base64 DER', () => {
    const der = CSR_PEM.replace(/-----[A-Z ]+-----|\n/g, '')
    for (const input of [CSR_PEM, Buffer.from(CSR_PEM).toString('base64'), der]) {
      const csr = call('crypto.x509.parse_certificate_request', [input])
      assert.equal(field(csr, 'Subject', 'CommonName'), 'example.com')
      assert.equal(field(csr, 'PublicKeyAlgorithm'), 1)
    }
    expectError(
      'crypto.x509.parse_certificate_request',
      ['YmFkc3RyaW5n'],
      'eval_builtin_error',
      /^asn1: structure error/,
    )
  })
})

describe('private keys', () => {
  it('crypto.x509.parse_rsa_private_key returns a JWK', () => {
    const jwk = call('crypto.x509.parse_rsa_private_key', [RSA_PRIVATE_KEY_PEM])
    assert.equal(field(jwk, 'kty'), 'RSA')
    assert.equal(field(jwk, 'e'), 'AQAB')
    assert.ok(typeof field(jwk, 'qi') === 'string')
    expectError(
      'crypto.x509.parse_rsa_private_key',
      ['invalid'],
      'eval_builtin_error',
      'illegal base64 data at input byte 4',
    )
    expectError('crypto.x509.parse_rsa_private_key', [''], 'eval_builtin_error', 'input PEM data was empty')
  })

  it("crypto.parse_private_keys returns Go's key structures", () => {
    const keys = call('crypto.parse_private_keys', [RSA_PRIVATE_KEY_PEM])
    assert.ok(Array.isArray(keys) && keys.length === 1)
    assert.equal(field(keys, 0, 'E'), 65537)
    assert.equal((field(keys, 0, 'Primes') as Value[]).length, 2)
    assert.deepEqual(call('crypto.parse_private_keys', ['nope']), [])
    assert.equal(call('crypto.parse_private_keys', ['']), null)
  })

  it('crypto.x509.parse_keypair pairs a certificate with its key', () => {
    const pair = call('crypto.x509.parse_keypair', [KEYPAIR_CERT_PEM, KEYPAIR_KEY_PEM])
    assert.ok(typeof field(pair, 'Certificate', 0) === 'string')
    assert.equal(field(pair, 'Leaf', 'Subject', 'CommonName'), 'example.com')
    expectError(
      'crypto.x509.parse_keypair',
      [KEYPAIR_CERT_PEM, KEYPAIR_CERT_PEM],
      'eval_builtin_error',
      'tls: found a certificate rather than a key in the PEM for the private key',
    )
  })
})

describe('x509 work bounds', () => {
  it('charges each signature checked while building chains, and the text parsed', () => {
    const ctx = chargingContext(1e9, NS_2025)
    const r = call('crypto.x509.parse_and_verify_certificates', [EC_CHAIN_PEM], ctx)
    assert.equal(field(r, 0), true)
    assert.ok(ctx.charged() >= 2 * PUBLIC_KEY_UNITS + EC_CHAIN_PEM.length, String(ctx.charged()))
    expectLimitError('p := crypto.x509.parse_certificates(input)', { input: 'A'.repeat(200_000) })
    expectLimitError('p := crypto.x509.parse_and_verify_certificates(input)', { input: EC_CHAIN_PEM.repeat(100) })
  })
})
