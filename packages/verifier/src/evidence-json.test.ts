import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { decodedCanonicallyUrl } from './az-snp-vtpm/az-snp-evidence.ts'
import { decodedCanonically } from './evidence-json.ts'

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const FULL_PADDING = ['', '===', '==', '=']

/** Texts mostly from `alphabet`, some other characters, some padding: a seeded generator, so runs repeat. */
function* texts(alphabet: string, count: number): Generator<string> {
  let seed = 0x2545f491
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return (seed >>> 8) % n
  }
  const other = `${alphabet}+/-_= \n.*é`
  for (let i = 0; i < count; i++) {
    let text = ''
    for (let j = next(14); j > 0; j--)
      text += next(100) < 85 ? alphabet.charAt(next(64)) : other.charAt(next(other.length))
    const padding = next(10)
    if (padding < 2) text = `${text.slice(0, -1)}=`
    else if (padding < 4) text = `${text.slice(0, -2)}==`
    yield text
  }
}

describe('canonical base64 without re-encoding', () => {
  test('decodedCanonically accepts only what re-encodes to itself, and settles the canonical texts', () => {
    let accepted = 0
    for (const text of texts(STD, 100_000)) {
      const bytes = Buffer.from(text, 'base64')
      const canonical = bytes.toString('base64') === text
      if (decodedCanonically(text, bytes.length)) {
        accepted++
        assert.ok(canonical, JSON.stringify(text))
      } else assert.ok(!canonical || text.length === 0, JSON.stringify(text))
    }
    assert.ok(accepted > 10_000)
    assert.equal(decodedCanonically('AB-_', 3), false)
    assert.equal(decodedCanonically('QR==', 1), false)
    assert.equal(decodedCanonically('QQ==', 1), true)
  })

  test('decodedCanonicallyUrl accepts only canonical base64url, unpadded or fully padded', () => {
    let accepted = 0
    for (const text of texts(URL, 100_000)) {
      const bytes = Buffer.from(text, 'base64url')
      const body = bytes.toString('base64url')
      const canonical = text === body || text === body + (FULL_PADDING[body.length % 4] ?? '')
      if (decodedCanonicallyUrl(text, bytes.length)) {
        accepted++
        assert.ok(canonical, JSON.stringify(text))
      }
    }
    assert.ok(accepted > 10_000)
    assert.equal(decodedCanonicallyUrl('AB+/', 3), false)
    assert.equal(decodedCanonicallyUrl('QR', 1), false)
    assert.equal(decodedCanonicallyUrl('QQ', 1), true)
    assert.equal(decodedCanonicallyUrl('QQ==', 1), true)
    assert.equal(decodedCanonicallyUrl('QQ=', 1), false)
  })
})
