import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Base64Error, decodeBase64UrlLenient, decodeStdBase64 } from './go-base64.ts'

function offsetOf(f: () => unknown): number {
  try {
    f()
  } catch (e) {
    if (e instanceof Base64Error) return e.offset
    throw e
  }
  return -1
}

describe('Go base64 decoding', () => {
  it('decodes padded input and skips line breaks', () => {
    assert.equal(decodeStdBase64('aGVsbG8=').toString(), 'hello')
    assert.equal(decodeStdBase64('aGVs\r\nbG8=\n').toString(), 'hello')
    assert.equal(decodeStdBase64('').length, 0)
  })

  it('names the offending byte as Go does', () => {
    assert.equal(
      offsetOf(() => decodeStdBase64('foobar')),
      4,
    )
    assert.equal(
      offsetOf(() => decodeStdBase64('invalid')),
      4,
    )
    assert.equal(
      offsetOf(() => decodeStdBase64('ab$d')),
      2,
    )
    assert.equal(
      offsetOf(() => decodeStdBase64('a===')),
      1,
    )
    assert.equal(
      offsetOf(() => decodeStdBase64('aGVsbG8=x')),
      8,
    )
  })

  it('restores missing padding for base64url, as OPA does', () => {
    assert.equal(decodeBase64UrlLenient('aGVsbG8').toString(), 'hello')
    assert.throws(
      () => decodeBase64UrlLenient('XmVoLoHI3pxMtMO(_WRONMSJzGUDP9pDjy8Jp0_tdRXY'),
      /illegal base64 data at input byte 15/,
    )
    assert.throws(() => decodeBase64UrlLenient('abcde'), /illegal base64url string: abcde/)
  })
})
