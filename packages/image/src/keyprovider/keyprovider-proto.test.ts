import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { KeyProviderError } from './keyprovider-error.ts'
import { decodeKeyProviderMessage, encodeKeyProviderMessage } from './keyprovider-proto.ts'

describe('keyProviderKeyWrapProtocolInput/Output (one `bytes` field 1)', () => {
  test('encodes as protoc does: tag 0x0a, varint length, bytes; empty bytes = empty message', () => {
    assert.deepEqual(encodeKeyProviderMessage(Buffer.from('{}')), Buffer.from([0x0a, 0x02, 0x7b, 0x7d]))
    const long = Buffer.alloc(300, 0x61)
    assert.deepEqual(encodeKeyProviderMessage(long).subarray(0, 3), Buffer.from([0x0a, 0xac, 0x02]))
    assert.deepEqual(encodeKeyProviderMessage(Buffer.alloc(0)), Buffer.alloc(0))
    for (const payload of [Buffer.from('{}'), long, Buffer.alloc(70_000, 1)]) {
      assert.deepEqual(decodeKeyProviderMessage(encodeKeyProviderMessage(payload)), payload)
    }
  })

  test('decodes as proto3: unknown fields skipped, last field 1 wins, absent = empty', () => {
    const unknown = Buffer.from([0x10, 0x96, 0x01, 0x1d, 1, 2, 3, 4, 0x22, 0x01, 0x00, 0x0a, 0x01, 0x41])
    assert.equal(decodeKeyProviderMessage(unknown).toString(), 'A')
    assert.equal(decodeKeyProviderMessage(Buffer.from([0x0a, 0x01, 0x41, 0x0a, 0x01, 0x42])).toString(), 'B')
    assert.equal(decodeKeyProviderMessage(Buffer.alloc(0)).length, 0)
  })

  test('malformed messages are BAD_REQUEST', () => {
    for (const bytes of [
      [0x0a, 0x05, 0x41],
      [0x0a, 0xff],
      [0x0a],
      [0x00, 0x01],
      [0x0b],
      [0x09, 0x01],
      [0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    ]) {
      assert.throws(
        () => decodeKeyProviderMessage(Buffer.from(bytes)),
        (e: unknown) => e instanceof KeyProviderError && e.code === 'BAD_REQUEST',
        JSON.stringify(bytes),
      )
    }
    assert.throws(() => decodeKeyProviderMessage(Buffer.alloc(1024 * 1024 + 1)), /larger than/)
  })
})
