import assert from 'node:assert/strict'
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { intelSgxRootCa, type VerifiedPckChain } from './pck-chain.ts'
import { rootKeyId } from './pck-claims.ts'
import { dcapFixture, REAL_QUOTES } from './quote-fixtures.ts'
import { parseDcapQuote } from './quote-parse.ts'
import { attestationPublicKey, checkQuoteSignature } from './quote-signature.ts'

const rawPoint = (): Uint8Array => {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })
  return Buffer.concat([Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')])
}
const isCode = (code: string) => (e: unknown) => e instanceof VerificationError && e.code === code

describe('remembered DCAP keys', () => {
  test('an attestation key is imported once per exact bytes; a changed byte is another key or refused', () => {
    const raw = rawPoint()
    const first = attestationPublicKey(raw)
    assert.equal(attestationPublicKey(Uint8Array.from(raw)), first)
    const other = rawPoint()
    const second = attestationPublicKey(other)
    assert.notEqual(second, first)
    assert.deepEqual(second.export({ format: 'jwk' }).x, Buffer.from(other.subarray(0, 32)).toString('base64url'))
    const offCurve = Uint8Array.from(raw)
    offCurve[63] = (offCurve[63] ?? 0) ^ 1
    for (let i = 0; i < 2; i++) assert.throws(() => attestationPublicKey(offCurve), isCode('SIGNATURE_INVALID'))
  })

  test('after a verified quote, a changed attestation key byte is still refused', () => {
    const bytes = Uint8Array.from(dcapFixture(REAL_QUOTES['tdx-v4-trustee'].quote))
    const quote = parseDcapQuote(bytes)
    checkQuoteSignature(quote)
    checkQuoteSignature(quote)
    const keyAt = quote.attestationKey.byteOffset - bytes.byteOffset
    bytes[keyAt + 5] = (bytes[keyAt + 5] ?? 0) ^ 1
    assert.throws(() => {
      checkQuoteSignature(parseDcapQuote(bytes))
    }, isCode('SIGNATURE_INVALID'))
  })

  test('root_key_id is computed per trust anchor: another root, another id', () => {
    const id = (root: X509Certificate): string => rootKeyId({ root } as VerifiedPckChain)
    const direct = (root: X509Certificate): string => {
      const spki = root.publicKey.export({ format: 'der', type: 'spki' })
      return createHash('sha384')
        .update(spki.subarray(spki.length - 65))
        .digest('hex')
    }
    const intel = intelSgxRootCa()
    const synthetic = new X509Certificate(dcapFixture('synthetic/root.pem'))
    assert.equal(id(intel), direct(intel))
    assert.equal(id(intel), direct(intel))
    assert.equal(id(synthetic), direct(synthetic))
    assert.notEqual(id(synthetic), id(intel))
  })
})
