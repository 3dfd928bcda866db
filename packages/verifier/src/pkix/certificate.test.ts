import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import {
  certificateExtensions,
  certificateIssuer,
  certificateSerial,
  certificateSubject,
  certificateValidAt,
  parseCertificate,
} from './certificate.ts'
import { pkixFixture, pkixFixtureText } from './fixtures-test-support.ts'
import { derToPem, pemBlocks, pemCertificates } from './pem.ts'
import { signatureScheme } from './signature-algorithm.ts'
import {
  authorityKeyIdentifier,
  basicConstraints,
  keyUsageAllows,
  KeyUsageBit,
  subjectKeyIdentifier,
} from './standard-extensions.ts'

const hex = (bytes: Uint8Array | undefined): string | undefined =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString('hex')

describe('X.509 certificate fields', () => {
  test('AMD VCEK: SEV-SNP extensions, serial, names, RSASSA-PSS', () => {
    const vcek = pkixFixture('amd-milan-vcek.der')
    const extensions = certificateExtensions(vcek)
    assert.equal(extensions.get('1.3.6.1.4.1.3704.1.1')?.critical, false)
    // blSPL (1.3.6.1.4.1.3704.1.3.1) is an INTEGER.
    assert.equal(extensions.get('1.3.6.1.4.1.3704.1.3.1')?.value[0], 0x02)
    // hwID: AMD puts the 64 raw bytes in extnValue (no inner OCTET STRING).
    assert.equal(extensions.get('1.3.6.1.4.1.3704.1.4')?.value.length, 64)
    assert.equal(hex(certificateSerial(vcek)), '00')
    const [ask] = pemCertificates(pkixFixtureText('amd-milan-ask-ark-asvk.pem'))
    assert.deepEqual(certificateIssuer(vcek), certificateSubject(ask!))
    assert.deepEqual(signatureScheme(parseCertificate(vcek).signatureAlgorithm), {
      kind: 'rsa-pss',
      hash: 'sha384',
      saltLength: 48,
    })
    assert.equal(basicConstraints(vcek), undefined)
    assert.deepEqual(basicConstraints(ask!), { ca: true, pathLength: 0 })
    assert.equal(certificateValidAt(vcek, new Date('2025-02-20T00:00:00Z')), true)
    assert.equal(certificateValidAt(vcek, new Date('2030-01-25T00:00:00Z')), false)
  })

  test('agrees with node for every fixture certificate', () => {
    const pems = [
      'amd-milan-ask-ark-asvk.pem',
      'nvidia-hopper-chain.pem',
      'intel-pck-chain.pem',
      'intel-tcb-signing-chain.pem',
    ]
    const ders = [
      ...pems.flatMap((name) => pemCertificates(pkixFixtureText(name))),
      pkixFixture('amd-milan-vcek.der'),
      pkixFixture('amd-milan-vlek.der'),
      pkixFixture('intel-sgx-root-ca.der'),
    ]
    assert.equal(ders.length, 16)
    for (const der of ders) {
      const node = new X509Certificate(der)
      const parsed = parseCertificate(node)
      assert.equal(parsed.notBefore.getTime(), new Date(node.validFrom).getTime())
      assert.equal(parsed.notAfter.getTime(), new Date(node.validTo).getTime())
      assert.equal(BigInt(`0x${hex(parsed.serial)}`), BigInt(`0x${node.serialNumber}`))
      assert.equal(parsed.version, 3)
      assert.equal(parseCertificate(node), parsed, 'cached per object')
    }
  })

  test('Intel PCK: SGX extension, key identifiers, key usage', () => {
    const [pck, platformCa, root] = pemCertificates(pkixFixtureText('intel-pck-chain.pem'))
    assert.equal(certificateExtensions(pck!).has('1.2.840.113741.1.13.1'), true)
    assert.equal(hex(authorityKeyIdentifier(pck!)), hex(subjectKeyIdentifier(platformCa!)))
    assert.equal(hex(authorityKeyIdentifier(platformCa!)), hex(subjectKeyIdentifier(root!)))
    assert.equal(keyUsageAllows(pck!, KeyUsageBit.keyCertSign), false)
    assert.equal(keyUsageAllows(platformCa!, KeyUsageBit.keyCertSign), true)
    assert.deepEqual(basicConstraints(root!), { ca: true, pathLength: 1 })
    assert.deepEqual(pkixFixture('intel-sgx-root-ca.der'), root)
  })

  test('malformed certificates fail with the chosen code', () => {
    const vcek = pkixFixture('amd-milan-vcek.der')
    const isCode = (code: string) => (error: unknown) => error instanceof VerificationError && error.code === code
    assert.throws(() => parseCertificate(vcek.subarray(0, 100)), isCode('CERT_CHAIN_INVALID'))
    assert.throws(() => parseCertificate(vcek.subarray(0, 100), 'EVIDENCE_MALFORMED'), isCode('EVIDENCE_MALFORMED'))
    assert.throws(() => parseCertificate(new Uint8Array([...vcek, 0])), isCode('CERT_CHAIN_INVALID'))
    // Outer and inner signature algorithms must agree: flip the PSS salt length in the outer one only.
    const tampered = new Uint8Array(vcek)
    const at = Buffer.from(tampered).lastIndexOf(Buffer.from('a203020130', 'hex'))
    assert.ok(at > parseCertificate(vcek).tbs.length)
    tampered[at + 4] = 0x20
    assert.throws(() => parseCertificate(tampered), isCode('CERT_CHAIN_INVALID'))
  })
})

describe('PEM', () => {
  test('splits bundles and round-trips', () => {
    const text = pkixFixtureText('amd-milan-ask-ark-asvk.pem')
    const certificates = pemCertificates(text)
    assert.equal(certificates.length, 3)
    assert.deepEqual(pemCertificates(certificates.map((der) => derToPem(der)).join('')), certificates)
    assert.deepEqual(pemBlocks(derToPem(new Uint8Array([1, 2, 3]), 'X509 CRL')), [
      { label: 'X509 CRL', der: new Uint8Array([1, 2, 3]) },
    ])
  })

  test('rejects broken PEM', () => {
    const isCode = (error: unknown) => error instanceof VerificationError && error.code === 'CERT_CHAIN_INVALID'
    assert.throws(() => pemCertificates('no pem here'), isCode)
    assert.throws(() => pemCertificates('-----BEGIN CERTIFICATE-----\nAAA*\n-----END CERTIFICATE-----\n'), isCode)
    assert.throws(() => pemCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END X509 CRL-----\n'), isCode)
    assert.throws(() => pemCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n'), isCode)
    assert.deepEqual(pemCertificates('-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n'), [
      new Uint8Array([0]),
    ])
    assert.throws(() => pemCertificates('-----BEGIN CERTIFICATE-----\nAB==\n-----END CERTIFICATE-----\n'), isCode)
  })
})
