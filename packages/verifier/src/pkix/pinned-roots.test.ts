import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { verifyCertificateChain } from './certificate-chain.ts'
import { parseCertificate } from './certificate.ts'
import { pemCertificates } from './pem.ts'
import { signatureScheme } from './signature-algorithm.ts'
import { basicConstraints } from './standard-extensions.ts'

const roots = (name: string): Uint8Array[] =>
  pemCertificates(readFileSync(new URL(`../../roots/${name}`, import.meta.url), 'utf8'))
const AT = new Date('2026-01-01T00:00:00Z')

describe('the shipped vendor roots pass the pkix checks', () => {
  for (const product of ['milan', 'genoa', 'turin']) {
    test(`AMD ${product}: ASK and ASVK chain to the ARK (RSASSA-PSS SHA-384)`, () => {
      const certificates = roots(`amd-${product}.pem`)
      const ark = certificates.find((der) => {
        const parsed = parseCertificate(der)
        return Buffer.from(parsed.subject).equals(parsed.issuer)
      })
      assert.ok(ark !== undefined)
      const signers = certificates.filter((der) => der !== ark)
      assert.equal(signers.length, 2)
      for (const signer of signers) {
        const { path } = verifyCertificateChain({ leaf: signer, trustedRoots: [ark], at: AT })
        assert.equal(path.length, 2)
        assert.deepEqual(basicConstraints(signer), { ca: true, pathLength: 0 })
        assert.deepEqual(signatureScheme(parseCertificate(signer).signatureAlgorithm), {
          kind: 'rsa-pss',
          hash: 'sha384',
          saltLength: 48,
        })
      }
    })
  }

  test('Intel SGX Root CA and NVIDIA Device Identity CA are self-issued CAs pinned as themselves', () => {
    for (const name of ['intel-sgx-root-ca.pem', 'nvidia-device-root.pem']) {
      const [root] = roots(name)
      assert.equal(verifyCertificateChain({ leaf: root!, trustedRoots: [root!], at: AT }).path.length, 1)
      assert.equal(basicConstraints(root!)?.ca, true)
    }
  })
})
