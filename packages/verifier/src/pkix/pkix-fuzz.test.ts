import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { verifyCertificateChain } from './certificate-chain.ts'
import { certificateExtensions, parseCertificate } from './certificate.ts'
import { parseCrl } from './crl.ts'
import { pkixFixture, pkixFixtureText } from './fixtures-test-support.ts'
import { pemCertificates } from './pem.ts'
import { basicConstraints, authorityKeyIdentifier, subjectKeyIdentifier } from './standard-extensions.ts'

/** A deterministic PRNG (mulberry32) so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function mutate(input: Uint8Array, next: () => number): Uint8Array {
  const bytes = new Uint8Array(input)
  const kind = Math.floor(next() * 4)
  if (kind === 0) return bytes.subarray(0, Math.floor(next() * bytes.length))
  const count = 1 + Math.floor(next() * 4)
  for (let i = 0; i < count; i += 1) {
    const at = Math.floor(next() * bytes.length)
    if (kind === 1) bytes[at] = Math.floor(next() * 256)
    else if (kind === 2) bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(next() * 8))
    else bytes[at] = [0x00, 0x80, 0x81, 0xff, 0x30, 0xa0][Math.floor(next() * 6)] ?? 0
  }
  return bytes
}

const RUNS = 2500

describe('pkix fuzz: mutated inputs are accepted only when untouched, and fail only with VerificationError', () => {
  const [ask, ark] = pemCertificates(pkixFixtureText('amd-milan-ask-ark-asvk.pem'))
  const vcek = pkixFixture('amd-milan-vcek.der')
  const at = new Date('2025-02-20T00:00:00Z')

  test(`${RUNS} mutations of a VCEK through the chain`, () => {
    const next = random(1)
    for (let run = 0; run < RUNS; run += 1) {
      const leaf = mutate(vcek, next)
      try {
        verifyCertificateChain({ leaf, intermediates: [ask!], trustedRoots: [ark!], at })
        // Every byte of a certificate is signed or is the signature, so only a no-op mutation passes.
        assert.deepEqual(leaf, vcek)
      } catch (error) {
        assert.ok(error instanceof VerificationError, `run ${run}: ${String(error)}`)
      }
    }
  })

  test(`${RUNS} mutations of certificates and CRLs through the parsers`, () => {
    const next = random(2)
    const certificates = [vcek, ...pemCertificates(pkixFixtureText('intel-pck-chain.pem'))]
    const crls = [pkixFixture('intel-pck-platform-crl.der'), pkixFixture('intel-root-ca-crl.der')]
    for (let run = 0; run < RUNS; run += 1) {
      const cert = mutate(certificates[run % certificates.length]!, next)
      const crl = mutate(crls[run % crls.length]!, next)
      for (const action of [
        () => parseCertificate(cert),
        () => certificateExtensions(cert).size,
        () => basicConstraints(cert),
        () => authorityKeyIdentifier(cert),
        () => subjectKeyIdentifier(cert),
        () => parseCrl(crl).revoked.length,
      ]) {
        try {
          action()
        } catch (error) {
          assert.ok(error instanceof VerificationError, `run ${run}: ${String(error)}`)
        }
      }
    }
  })
})
