import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { TPM_ALG } from './tpm-alg.ts'
import { marshalTpmsAttestQuote, parseTpmsAttestQuote } from './tpms-attest.ts'
import { marshalTpmtSignature, parseTpmtSignature } from './tpmt-signature.ts'

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/tpm/tpm_evidence.json', import.meta.url), 'utf8')) as {
  tpm_quote: { message: string; signature: string }
}
const message = new Uint8Array(Buffer.from(fixture.tpm_quote.message, 'base64'))
const signature = new Uint8Array(Buffer.from(fixture.tpm_quote.signature, 'base64'))

test('TPMS_ATTEST of a real quote parses field by field and marshals back to the same bytes', () => {
  const quote = parseTpmsAttestQuote(message)
  assert.equal(quote.qualifiedSigner.length, 34)
  assert.equal(
    Buffer.from(quote.extraData).toString('hex'),
    'a04182b506878d4f29b91ee606a71a0d3361ccf1b22db20c98adcaa537bea393ef0e41a18b3569ab678f1497fbc5c120' +
      '00'.repeat(16),
  )
  assert.deepEqual(quote.pcrSelect, [
    { hash: TPM_ALG.SHA256, sizeOfSelect: 3, pcrs: Array.from({ length: 24 }, (_, i) => i) },
  ])
  assert.equal(
    Buffer.from(quote.pcrDigest).toString('hex'),
    '019de64c9318655e422c3d03831169896e31f02a1d74e4d8fef575bf4e0d75fa',
  )
  assert.equal(quote.clockInfo.safe, true)
  assert.deepEqual(marshalTpmsAttestQuote(quote), message)
})

test('TPMT_SIGNATURE of a real quote is RSASSA SHA-256 with a 2048-bit signature, and round-trips', () => {
  const parsed = parseTpmtSignature(signature)
  assert.equal(parsed.sigAlg, TPM_ALG.RSASSA)
  assert.equal(parsed.hash, TPM_ALG.SHA256)
  assert.ok('sig' in parsed)
  assert.equal(parsed.sig.length, 256)
  assert.deepEqual(marshalTpmtSignature(parsed), signature)
})

test('every truncation, a wrong magic, a wrong type and trailing bytes are EVIDENCE_MALFORMED', () => {
  const malformed = (bytes: Uint8Array): void => {
    assert.throws(
      () => parseTpmsAttestQuote(bytes),
      (e: unknown) => e instanceof VerificationError && e.code === 'EVIDENCE_MALFORMED',
    )
  }
  for (let n = 0; n < message.length; n++) malformed(message.subarray(0, n))
  for (const at of [0, 4]) {
    const bad = message.slice()
    bad[at] = (bad[at] ?? 0) ^ 0x40
    malformed(bad)
  }
  malformed(new Uint8Array([...message, 0]))
  for (let n = 0; n < signature.length; n++) {
    assert.throws(() => parseTpmtSignature(signature.subarray(0, n)), VerificationError)
  }
})
