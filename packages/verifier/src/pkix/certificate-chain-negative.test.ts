import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { verifyCertificateChain, type CertificateChainOptions } from './certificate-chain.ts'
import { parseCrl } from './crl.ts'
import { derToPem } from './pem.ts'
import { createTestCertificate, createTestCrl, testKey, type TestCertificate } from './test-support/test-pki.ts'

const AT = new Date('2025-01-01T00:00:00Z')
const isCode = (code: string) => (error: unknown) => error instanceof VerificationError && error.code === code

function pki(): {
  root: TestCertificate
  ca: TestCertificate
  leaf: TestCertificate
  options: CertificateChainOptions
} {
  const root = createTestCertificate({ commonName: 'Test Root', ca: true, key: testKey('ec-p384') })
  const ca = createTestCertificate({ commonName: 'Test CA', ca: true, pathLength: 0, issuer: root })
  const leaf = createTestCertificate({ commonName: 'Test Leaf', issuer: ca })
  return { root, ca, leaf, options: { leaf: leaf.der, intermediates: [ca.der], trustedRoots: [root.der], at: AT } }
}

describe('verifyCertificateChain rejects each broken property with its code', () => {
  test('a good synthetic chain passes, also with the root given as an X509Certificate', () => {
    const { root, options } = pki()
    const chain = verifyCertificateChain({ ...options, trustedRoots: [root.x509] })
    assert.equal(chain.path.length, 3)
    assert.equal(chain.path[2], root.x509)
  })

  test('revoked leaf and revoked intermediate: CERT_REVOKED', () => {
    const { root, ca, leaf, options } = pki()
    const caCrl = createTestCrl({ issuer: ca, revoked: [{ certificate: leaf }] })
    const rootCrl = createTestCrl({ issuer: root })
    assert.throws(() => verifyCertificateChain({ ...options, crls: [caCrl, rootCrl] }), isCode('CERT_REVOKED'))
    const revokingRoot = createTestCrl({ issuer: root, revoked: [{ certificate: ca }] })
    assert.throws(
      () => verifyCertificateChain({ ...options, crls: [createTestCrl({ issuer: ca }), revokingRoot] }),
      isCode('CERT_REVOKED'),
    )
    // Parsed CRLs and PEM CRLs work the same.
    assert.throws(
      () => verifyCertificateChain({ ...options, crls: [derToPem(caCrl, 'X509 CRL'), parseCrl(rootCrl)] }),
      isCode('CERT_REVOKED'),
    )
    assert.equal(
      verifyCertificateChain({ ...options, crls: [createTestCrl({ issuer: ca }), rootCrl], requireCrlFor: 'all' }).crls
        .length,
      2,
    )
  })

  test('forged or stale CRL; required CRL missing', () => {
    const { ca, leaf, options } = pki()
    const forged = createTestCrl({ issuer: ca, signingKey: testKey(), revoked: [] })
    assert.throws(() => verifyCertificateChain({ ...options, crls: [forged] }), isCode('COLLATERAL_INVALID'))
    const stale = createTestCrl({
      issuer: ca,
      thisUpdate: new Date('2024-01-01Z'),
      nextUpdate: new Date('2024-02-01Z'),
    })
    assert.throws(() => verifyCertificateChain({ ...options, crls: [stale] }), isCode('CERT_EXPIRED'))
    const early = createTestCrl({ issuer: ca, thisUpdate: new Date('2025-06-01Z') })
    assert.throws(() => verifyCertificateChain({ ...options, crls: [early] }), isCode('CERT_EXPIRED'))
    assert.throws(
      () => verifyCertificateChain({ ...options, crls: [new Uint8Array([0x30, 0x00])] }),
      isCode('COLLATERAL_INVALID'),
    )
    assert.throws(
      () => verifyCertificateChain({ ...options, requireCrlFor: (_cert, depth) => depth === 0 }),
      isCode('COLLATERAL_UNAVAILABLE'),
    )
    assert.equal(
      verifyCertificateChain({
        ...options,
        crls: [createTestCrl({ issuer: ca, revoked: [] })],
        requireCrlFor: (cert) => cert.subject === leaf.x509.subject,
      }).path.length,
      3,
    )
  })

  test('expired or not yet valid certificates: CERT_EXPIRED', () => {
    const { root, ca } = pki()
    const expired = createTestCertificate({ commonName: 'old', issuer: ca, notAfter: new Date('2024-12-31T23:59:59Z') })
    const future = createTestCertificate({ commonName: 'new', issuer: ca, notBefore: new Date('2025-01-01T00:00:01Z') })
    for (const leaf of [expired, future]) {
      assert.throws(
        () => verifyCertificateChain({ leaf: leaf.der, intermediates: [ca.der], trustedRoots: [root.der], at: AT }),
        isCode('CERT_EXPIRED'),
      )
    }
    const oldCa = createTestCertificate({
      commonName: 'Old CA',
      ca: true,
      issuer: root,
      notAfter: new Date('2024-06-01Z'),
    })
    const leaf = createTestCertificate({ commonName: 'leaf', issuer: oldCa })
    assert.throws(
      () => verifyCertificateChain({ leaf: leaf.der, intermediates: [oldCa.der], trustedRoots: [root.der], at: AT }),
      isCode('CERT_EXPIRED'),
    )
  })

  test('untrusted root, missing issuer, wrong signature, mismatching key id: their codes', () => {
    const { root, ca, leaf, options } = pki()
    const otherRoot = createTestCertificate({ commonName: 'Other Root', ca: true })
    const unpinned = { ...options, intermediates: [ca.der, root.der], trustedRoots: [otherRoot.der] }
    assert.throws(() => verifyCertificateChain(unpinned), isCode('CERT_UNTRUSTED_ROOT'))
    // Without the root in the pool the chain is incomplete rather than ending at an unknown root.
    assert.throws(() => verifyCertificateChain({ ...unpinned, intermediates: [ca.der] }), isCode('CERT_CHAIN_INVALID'))
    assert.throws(() => verifyCertificateChain({ ...options, trustedRoots: [] }), isCode('CERT_UNTRUSTED_ROOT'))
    // Self-signed leaf, not pinned.
    assert.throws(
      () => verifyCertificateChain({ ...options, leaf: otherRoot.der, intermediates: [] }),
      isCode('CERT_UNTRUSTED_ROOT'),
    )
    assert.throws(() => verifyCertificateChain({ ...options, intermediates: [] }), isCode('CERT_CHAIN_INVALID'))
    // Same name as the CA, other key: the name matches, the signature does not.
    const impostor = createTestCertificate({ commonName: 'Test CA', ca: true, issuer: root, keyIdentifiers: false })
    assert.throws(
      () => verifyCertificateChain({ ...options, intermediates: [impostor.der] }),
      isCode('CERT_CHAIN_INVALID'),
    )
    // With both in the pool the right one is found.
    assert.equal(verifyCertificateChain({ ...options, intermediates: [impostor.der, ca.der] }).path.length, 3)
    const wrongAki = createTestCertificate({ commonName: 'leaf', issuer: ca, authorityKeyId: Buffer.alloc(20, 1) })
    assert.throws(() => verifyCertificateChain({ ...options, leaf: wrongAki.der }), isCode('CERT_CHAIN_INVALID'))
    assert.throws(
      () => verifyCertificateChain({ ...options, leaf: new Uint8Array([1, 2, 3]) }),
      isCode('CERT_CHAIN_INVALID'),
    )
    assert.throws(
      () => verifyCertificateChain({ ...options, leaf: leaf.der.subarray(0, 50) }),
      isCode('CERT_CHAIN_INVALID'),
    )
  })

  test('CA constraints: not a CA, path length, unknown critical extension', () => {
    const { root, ca, options } = pki()
    const notCa = createTestCertificate({ commonName: 'Not CA', issuer: root })
    const leaf = createTestCertificate({ commonName: 'leaf', issuer: notCa })
    assert.throws(
      () => verifyCertificateChain({ ...options, leaf: leaf.der, intermediates: [notCa.der] }),
      isCode('CERT_CHAIN_INVALID'),
    )
    const bare = createTestCertificate({ commonName: 'Bare', issuer: root, bare: true })
    const leafOfBare = createTestCertificate({ commonName: 'leaf', issuer: bare })
    assert.throws(
      () => verifyCertificateChain({ ...options, leaf: leafOfBare.der, intermediates: [bare.der] }),
      isCode('CERT_CHAIN_INVALID'),
    )
    // ca has pathLength 0: a second CA below it is too deep.
    const sub = createTestCertificate({ commonName: 'Sub CA', ca: true, issuer: ca })
    const deep = createTestCertificate({ commonName: 'deep', issuer: sub })
    assert.throws(
      () =>
        verifyCertificateChain({ leaf: deep.der, intermediates: [sub.der, ca.der], trustedRoots: [root.der], at: AT }),
      isCode('CERT_CHAIN_INVALID'),
    )
    const critical = createTestCertificate({
      commonName: 'critical',
      issuer: ca,
      extensions: [{ oid: '1.3.6.1.4.1.99999.1', critical: true, value: new Uint8Array([0x05, 0x00]) }],
    })
    const base = { intermediates: [ca.der], trustedRoots: [root.der], at: AT }
    assert.throws(() => verifyCertificateChain({ ...base, leaf: critical.der }), isCode('CERT_CHAIN_INVALID'))
    assert.equal(
      verifyCertificateChain({ ...base, leaf: critical.der, allowedCriticalExtensions: ['1.3.6.1.4.1.99999.1'] }).path
        .length,
      3,
    )
  })

  test('a root in the chain with the pinned key and subject ends the path at the pinned root', () => {
    const key = testKey()
    const pinned = createTestCertificate({ commonName: 'Root', ca: true, key, notAfter: new Date('2049-01-01Z') })
    const reissued = createTestCertificate({ commonName: 'Root', ca: true, key, notAfter: new Date('2033-01-01Z') })
    const leaf = createTestCertificate({ commonName: 'leaf', issuer: reissued })
    const chain = verifyCertificateChain({
      leaf: leaf.der,
      intermediates: [reissued.der],
      trustedRoots: [pinned.der],
      at: AT,
    })
    assert.equal(chain.path.length, 2)
    assert.deepEqual(chain.path[1]?.raw, Buffer.from(pinned.der))
    // A leaf that is itself pinned is a path of one.
    assert.equal(verifyCertificateChain({ leaf: pinned.der, trustedRoots: [pinned.der], at: AT }).path.length, 1)
  })

  test('RSA-PSS and RSA PKCS#1 links verify; too long paths are refused', () => {
    const root = createTestCertificate({ commonName: 'PSS Root', ca: true, key: testKey('rsa-pss') })
    const ca = createTestCertificate({ commonName: 'RSA CA', ca: true, issuer: root, key: testKey('rsa') })
    const leaf = createTestCertificate({ commonName: 'EC leaf', issuer: ca, key: testKey('ec-p256') })
    const options = { leaf: leaf.der, intermediates: [ca.der], trustedRoots: [root.der], at: AT }
    assert.equal(verifyCertificateChain(options).path.length, 3)
    assert.throws(() => verifyCertificateChain({ ...options, maxLength: 2 }), isCode('CERT_CHAIN_INVALID'))
  })
})
