import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { verifyCertificateChain } from './certificate-chain.ts'
import { pkixFixture, pkixFixtureText } from './fixtures-test-support.ts'
import { pemCertificates } from './pem.ts'

const AT = new Date('2025-02-20T00:00:00Z')
const isCode = (code: string) => (error: unknown) => error instanceof VerificationError && error.code === code
const cn = (path: readonly { subject: string }[]): string[] =>
  path.map((cert) => /CN=([^\n]*)/.exec(cert.subject)?.[1] ?? '')

describe('verifyCertificateChain on real vendor chains', () => {
  const [ask, ark, asvk] = pemCertificates(pkixFixtureText('amd-milan-ask-ark-asvk.pem'))
  const amd = { intermediates: [ask!, asvk!, ark!], trustedRoots: [ark!], at: AT }

  test('AMD Milan VCEK → ASK → ARK and VLEK → ASVK → ARK (RSASSA-PSS)', () => {
    assert.deepEqual(cn(verifyCertificateChain({ ...amd, leaf: pkixFixture('amd-milan-vcek.der') }).path), [
      'SEV-VCEK',
      'SEV-Milan',
      'ARK-Milan',
    ])
    assert.deepEqual(cn(verifyCertificateChain({ ...amd, leaf: pkixFixture('amd-milan-vlek.der') }).path), [
      'SEV-VLEK',
      'SEV-VLEK-Milan',
      'ARK-Milan',
    ])
    // node's own X509Certificate.verify handles RSASSA-PSS too (the chain uses its own verifySignature).
    const vcek = new X509Certificate(pkixFixture('amd-milan-vcek.der'))
    assert.equal(vcek.verify(new X509Certificate(ask!).publicKey), true)
    assert.equal(vcek.verify(new X509Certificate(asvk!).publicKey), false)
  })

  test('AMD: expired, tampered, unpinned root, missing intermediate', () => {
    const vcek = pkixFixture('amd-milan-vcek.der')
    assert.throws(
      () => verifyCertificateChain({ ...amd, leaf: vcek, at: new Date('2030-02-01T00:00:00Z') }),
      isCode('CERT_EXPIRED'),
    )
    const tampered = new Uint8Array(vcek)
    tampered[tampered.length - 10]! ^= 0x01
    assert.throws(() => verifyCertificateChain({ ...amd, leaf: tampered }), isCode('CERT_CHAIN_INVALID'))
    const intelRoot = pkixFixture('intel-sgx-root-ca.der')
    assert.throws(
      () => verifyCertificateChain({ ...amd, leaf: vcek, trustedRoots: [intelRoot] }),
      isCode('CERT_UNTRUSTED_ROOT'),
    )
    assert.throws(
      () => verifyCertificateChain({ ...amd, leaf: vcek, intermediates: [asvk!, ark!] }),
      isCode('CERT_CHAIN_INVALID'),
    )
  })

  test('Intel PCK chain with the PCK Platform CA CRL and the root CA CRL', () => {
    const [pck, platformCa] = pemCertificates(pkixFixtureText('intel-pck-chain.pem'))
    const options = {
      leaf: pck!,
      intermediates: [platformCa!],
      trustedRoots: [pkixFixture('intel-sgx-root-ca.der')],
      at: AT,
      crls: [pkixFixture('intel-pck-platform-crl.der'), pkixFixture('intel-root-ca-crl.der')],
      requireCrlFor: 'all' as const,
    }
    const chain = verifyCertificateChain(options)
    assert.deepEqual(cn(chain.path), ['Intel SGX PCK Certificate', 'Intel SGX PCK Platform CA', 'Intel SGX Root CA'])
    assert.equal(chain.crls.length, 2)
    // The PCK CRL's nextUpdate is 2025-03-15: later it is stale.
    assert.throws(
      () => verifyCertificateChain({ ...options, at: new Date('2025-03-20T00:00:00Z') }),
      isCode('CERT_EXPIRED'),
    )
    assert.throws(
      () => verifyCertificateChain({ ...options, crls: [pkixFixture('intel-root-ca-crl.der')] }),
      isCode('COLLATERAL_UNAVAILABLE'),
    )
    assert.equal(verifyCertificateChain({ ...options, crls: [], requireCrlFor: 'none' }).crls.length, 0)
  })

  test('Intel TCB signing chain (2018 issue) expires 2025-05-21', () => {
    const [signing, root] = pemCertificates(pkixFixtureText('intel-tcb-signing-chain.pem'))
    const options = {
      leaf: signing!,
      intermediates: [root!],
      trustedRoots: [pkixFixture('intel-sgx-root-ca.der')],
      at: AT,
    }
    assert.equal(verifyCertificateChain(options).path.length, 2)
    assert.throws(
      () => verifyCertificateChain({ ...options, at: new Date('2025-06-01T00:00:00Z') }),
      isCode('CERT_EXPIRED'),
    )
  })

  test('NVIDIA Hopper device chain to the NVIDIA Device Identity CA (ECDSA P-384)', () => {
    const [leaf, ...rest] = pemCertificates(pkixFixtureText('nvidia-hopper-chain.pem'))
    const root = pemCertificates(pkixFixtureText('nvidia-device-root.pem'))
    const chain = verifyCertificateChain({ leaf: leaf!, intermediates: rest, trustedRoots: root, at: AT })
    assert.equal(chain.path.length, 5)
    assert.equal(
      chain.path[4],
      verifyCertificateChain({ leaf: leaf!, intermediates: rest, trustedRoots: root, at: AT }).path[4],
    )
    assert.throws(
      () => verifyCertificateChain({ leaf: leaf!, intermediates: rest.slice(1), trustedRoots: root, at: AT }),
      isCode('CERT_CHAIN_INVALID'),
    )
  })
})
