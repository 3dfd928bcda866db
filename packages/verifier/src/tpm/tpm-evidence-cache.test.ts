import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { syntheticQuote } from './synthetic-quote.ts'
import { parseTpmEvidence } from './tpm-evidence.ts'

const pcrs = Array.from({ length: 24 }, (_, i) => new Uint8Array(32).fill(i))
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const quote = syntheticQuote({ key: key.privateKey, scheme: 'ecdsa', extraData: new Uint8Array(32), pcrs })
const der = key.publicKey.export({ format: 'der', type: 'spki' })
const evidence = (ak: Buffer): unknown => ({
  ak_public: ak.toString('base64'),
  tpm_quote: {
    message: Buffer.from(quote.message).toString('base64'),
    signature: Buffer.from(quote.signature).toString('base64'),
    pcrs: pcrs.map((p) => Buffer.from(p).toString('hex')),
  },
})

test('tpm evidence: an AK is imported once per exact DER, and a longer spelling is still refused', () => {
  const first = parseTpmEvidence(evidence(der))
  assert.equal(parseTpmEvidence(evidence(der)).ak, first.ak)
  assert.throws(
    () => parseTpmEvidence(evidence(Buffer.concat([der, Buffer.from([0])]))),
    (e: unknown) => e instanceof VerificationError && e.code === 'EVIDENCE_MALFORMED',
  )
})
