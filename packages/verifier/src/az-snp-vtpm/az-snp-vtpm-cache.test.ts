import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import type { JsonObject } from '@carapace/protocol'
import { hclAttestationKey, parseHclReport } from '../tpm/hcl-report.ts'
import { rejectsWith } from '../verifier-contract.ts'
import { VerificationError } from '../verifier.ts'
import { parseAzSnpEvidence } from './az-snp-evidence.ts'
import { createAzSnpVtpmVerifier } from './az-snp-vtpm-verifier.ts'

const FIXTURES = new URL('../../fixtures/az-snp-vtpm/', import.meta.url)
const v2 = JSON.parse(readFileSync(new URL('evidence-v2.json', FIXTURES), 'utf8')) as JsonObject & { vcek: string }
const v0 = JSON.parse(readFileSync(new URL('evidence-v0.json', FIXTURES), 'utf8')) as JsonObject
const reportData = new Uint8Array(
  Buffer.from(
    '982f5c6e45df0ed3f10b6f60b02f0c8390e281300f3805e2279c16168cd6ae9aa398f647caa2338748cd0fd9f5f819ef',
    'hex',
  ),
)
const vcekDer = Buffer.from(v2.vcek, 'base64url')
const withVcek = (der: Uint8Array): JsonObject => ({ ...v2, vcek: Buffer.from(der).toString('base64url') })
const isMalformed = (e: unknown): boolean => e instanceof VerificationError && e.code === 'EVIDENCE_MALFORMED'

describe('az-snp-vtpm: remembered VCEK parses and HCL AK imports', () => {
  test('the same VCEK bytes give the same parsed certificate; a trailing byte is still refused', () => {
    const first = parseAzSnpEvidence(v2).vcek
    assert.equal(parseAzSnpEvidence(structuredClone(v2)).vcek, first)
    assert.deepEqual(new Uint8Array(first.raw), new Uint8Array(vcekDer))
    for (let i = 0; i < 2; i++) {
      assert.throws(() => parseAzSnpEvidence(withVcek(Buffer.concat([vcekDer, Buffer.from([0])]))), isMalformed)
    }
    assert.equal(parseAzSnpEvidence(v0).vcek, parseAzSnpEvidence(structuredClone(v0)).vcek)
  })

  test('a changed VCEK signature byte is another certificate and fails the chain after a success', async () => {
    const verifier = createAzSnpVtpmVerifier()
    const at = new Date('2026-01-01T00:00:00Z')
    await verifier.verify(v2, { reportData }, { at })
    const changed = Buffer.from(vcekDer)
    changed[changed.length - 1] = (changed[changed.length - 1] ?? 0) ^ 1
    assert.notEqual(parseAzSnpEvidence(withVcek(changed)).vcek, parseAzSnpEvidence(v2).vcek)
    await rejectsWith(verifier.verify(withVcek(changed), { reportData }, { at }), 'CERT_CHAIN_INVALID')
  })

  test('after a success the VCEK validity is still judged at each call', async () => {
    const verifier = createAzSnpVtpmVerifier()
    await verifier.verify(v2, { reportData }, { at: new Date('2026-01-01T00:00:00Z') })
    await rejectsWith(verifier.verify(v2, { reportData }, { at: new Date('2032-06-01T00:00:00Z') }), 'CERT_EXPIRED')
    await rejectsWith(verifier.verify(v2, { reportData }, { at: new Date('2020-01-01T00:00:00Z') }), 'CERT_EXPIRED')
    await verifier.verify(v2, { reportData }, { at: new Date('2026-01-01T00:00:00Z') })
  })

  test('the HCL AK is imported once per exact JWK n and e; another key is another import', () => {
    const hcl = parseHclReport(new Uint8Array(readFileSync(new URL('hcl-report.bin', FIXTURES))))
    const again = parseHclReport(new Uint8Array(readFileSync(new URL('hcl-report.bin', FIXTURES))))
    assert.equal(hclAttestationKey(again), hclAttestationKey(hcl))
    const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' })
    const other = { ...hcl, varDataJson: { keys: [{ kid: 'HCLAkPub', kty: 'RSA', n: jwk.n ?? '', e: jwk.e ?? '' }] } }
    const key = hclAttestationKey(other)
    assert.notEqual(key, hclAttestationKey(hcl))
    assert.equal(key.export({ format: 'jwk' }).n, jwk.n)
    assert.equal(hclAttestationKey({ ...other }), key)
  })
})
