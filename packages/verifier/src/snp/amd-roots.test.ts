import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { amdRoots, commonName, parseAmdRoots, splitPem } from './amd-roots.ts'

const milan = readFileSync(new URL('../../roots/amd-milan.pem', import.meta.url), 'utf8')

function rejectsWith(code: string, run: () => unknown): void {
  assert.throws(run, (error: unknown) => error instanceof VerificationError && error.code === code)
}

describe('pinned AMD roots', () => {
  test('the shipped Milan bundle yields ARK, ASK and ASVK', () => {
    const roots = amdRoots('Milan')
    assert.equal(commonName(roots.ark), 'ARK-Milan')
    assert.equal(commonName(roots.ask), 'SEV-Milan')
    assert.equal(commonName(roots.asvk), 'SEV-VLEK-Milan')
  })

  test('a bundle with a corrupt certificate is COLLATERAL_INVALID', () => {
    const corrupt = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n'
    rejectsWith('COLLATERAL_INVALID', () => parseAmdRoots('Milan', corrupt))
  })

  test('a bundle missing a role is COLLATERAL_INVALID', () => {
    const oneCertificate = splitPem(milan)[0]
    assert.ok(oneCertificate !== undefined)
    rejectsWith('COLLATERAL_INVALID', () => parseAmdRoots('Milan', oneCertificate))
    rejectsWith('COLLATERAL_INVALID', () => parseAmdRoots('Milan', ''))
  })
})
