import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { certificateSerial } from './certificate.ts'
import { checkCrlCurrent, crlSignedBy, parseCrl, revocationOf, verifyCrlSignature } from './crl.ts'
import { pkixFixture, pkixFixtureText } from './fixtures-test-support.ts'
import { derToPem, pemCertificates } from './pem.ts'
import { createTestCertificate, createTestCrl, testKey, type TestKeyType } from './test-support/test-pki.ts'

const isCode = (code: string) => (error: unknown) => error instanceof VerificationError && error.code === code
const AT = new Date('2025-02-20T00:00:00Z')

describe('CRLs', () => {
  test('Intel root CA CRL and PCK Platform CA CRL: parse, signature, currency', () => {
    const [pck, platformCa, root] = pemCertificates(pkixFixtureText('intel-pck-chain.pem'))
    const rootCrl = parseCrl(pkixFixture('intel-root-ca-crl.der'))
    assert.equal(rootCrl.version, 2)
    assert.equal(rootCrl.thisUpdate.toISOString(), '2024-03-20T19:19:30.000Z')
    assert.equal(rootCrl.nextUpdate?.toISOString(), '2025-04-03T19:19:30.000Z')
    assert.equal(rootCrl.crlNumber, 1n)
    assert.equal(rootCrl.revoked.length, 0)
    assert.equal(crlSignedBy(rootCrl, root!), true)
    assert.equal(crlSignedBy(rootCrl, platformCa!), false)
    checkCrlCurrent(rootCrl, AT)
    assert.equal(revocationOf(rootCrl, platformCa!), undefined)

    const pckCrl = parseCrl(pkixFixture('intel-pck-platform-crl.der'))
    assert.equal(pckCrl.revoked.length, 44)
    verifyCrlSignature(pckCrl, platformCa!)
    assert.throws(() => {
      verifyCrlSignature(pckCrl, root!)
    }, isCode('COLLATERAL_INVALID'))
    checkCrlCurrent(pckCrl, AT)
    assert.throws(() => {
      checkCrlCurrent(pckCrl, new Date('2025-03-16T00:00:00Z'))
    }, isCode('CERT_EXPIRED'))
    assert.throws(() => {
      checkCrlCurrent(pckCrl, new Date('2025-02-12T00:00:00Z'))
    }, isCode('CERT_EXPIRED'))
    assert.equal(revocationOf(pckCrl, pck!), undefined)
    const serials = new Set(pckCrl.revoked.map((entry) => Buffer.from(entry.serial).toString('hex')))
    assert.equal(serials.size, 44)
    assert.ok(pckCrl.revoked.every((entry) => entry.revocationDate.getTime() <= pckCrl.thisUpdate.getTime()))
  })

  test('PEM text and PEM bytes are accepted', () => {
    const der = pkixFixture('intel-root-ca-crl.der')
    const pem = derToPem(der, 'X509 CRL')
    assert.deepEqual(parseCrl(pem).der, der)
    assert.deepEqual(parseCrl(new Uint8Array(Buffer.from(`# comment\n${pem}`))).der, der)
    assert.throws(() => parseCrl(derToPem(der)), isCode('COLLATERAL_INVALID'))
  })

  for (const type of ['ec-p256', 'ec-p384', 'rsa', 'rsa-pss'] as TestKeyType[]) {
    test(`synthetic ${type} CRL: revoked entries, forged signature`, () => {
      const ca = createTestCertificate({ commonName: `CA ${type}`, ca: true, key: testKey(type) })
      const good = createTestCertificate({ commonName: 'good', issuer: ca })
      const bad = createTestCertificate({ commonName: 'bad', issuer: ca, serial: Buffer.from([0x80, 1, 2, 3]) })
      const crl = parseCrl(
        createTestCrl({
          issuer: ca,
          revoked: [{ certificate: bad, date: new Date('2023-05-01T00:00:00Z') }],
          crlNumber: 7,
        }),
      )
      assert.equal(crl.crlNumber, 7n)
      assert.deepEqual(Buffer.from(crl.authorityKeyId!), ca.keyId)
      verifyCrlSignature(crl, ca.x509)
      assert.equal(revocationOf(crl, good.x509), undefined)
      assert.deepEqual(Buffer.from(certificateSerial(bad.der)), Buffer.from([0x00, 0x80, 1, 2, 3]))
      assert.equal(revocationOf(crl, bad.der)?.revocationDate.toISOString(), '2023-05-01T00:00:00.000Z')
      const forged = parseCrl(createTestCrl({ issuer: ca, signingKey: testKey('ec-p256') }))
      assert.throws(() => {
        verifyCrlSignature(forged, ca.der)
      }, isCode('COLLATERAL_INVALID'))
    })
  }

  test('a CRL with an unknown critical extension (e.g. a delta CRL) is not used', () => {
    const ca = createTestCertificate({ commonName: 'CA', ca: true })
    const delta = { oid: '2.5.29.27', critical: true, value: new Uint8Array([0x02, 0x01, 0x01]) }
    assert.throws(() => parseCrl(createTestCrl({ issuer: ca, extensions: [delta] })), isCode('COLLATERAL_INVALID'))
    assert.equal(
      parseCrl(createTestCrl({ issuer: ca, extensions: [{ ...delta, critical: false }] })).extensions.size,
      3,
    )
  })

  test('a CRL without nextUpdate is never current; malformed CRLs are COLLATERAL_INVALID', () => {
    const ca = createTestCertificate({ commonName: 'CA', ca: true })
    const crl = parseCrl(createTestCrl({ issuer: ca, nextUpdate: null }))
    assert.equal(crl.nextUpdate, undefined)
    assert.throws(() => {
      checkCrlCurrent(crl, AT)
    }, isCode('CERT_EXPIRED'))
    const der = pkixFixture('intel-pck-platform-crl.der')
    for (const cut of [0, 1, 10, 100, der.length - 1]) {
      assert.throws(() => parseCrl(der.subarray(0, cut)), isCode('COLLATERAL_INVALID'))
    }
    assert.throws(() => parseCrl(der.subarray(0, 100), 'EVIDENCE_MALFORMED'), isCode('EVIDENCE_MALFORMED'))
  })
})
