import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ContentCache } from './content-cache.ts'

describe('ContentCache (remembered per exact bytes)', () => {
  test('the same bytes in another buffer hit; a value is made once', () => {
    const cache = new ContentCache<number>()
    let made = 0
    const bytes = Uint8Array.from({ length: 4000 }, (_, i) => i & 0xff)
    assert.equal(
      cache.get(bytes, 'ctx', () => ++made),
      1,
    )
    assert.equal(
      cache.get(Uint8Array.from(bytes), 'ctx', () => ++made),
      1,
    )
    assert.equal(made, 1)
  })

  test('one changed byte is another entry, even where the sampled fingerprint cannot see it', () => {
    const cache = new ContentCache<string>()
    const bytes = new Uint8Array(4096)
    cache.get(bytes, 'ctx', () => 'zeros')
    // 4096 / 32 samples: byte 1 is never sampled, so both land in one bucket and the comparison decides.
    const other = Uint8Array.from(bytes)
    other[1] = 1
    assert.equal(
      cache.get(other, 'ctx', () => 'one'),
      'one',
    )
    assert.equal(
      cache.get(new Uint8Array(4096), 'ctx', () => 'again'),
      'zeros',
    )
    assert.equal(
      cache.get(Uint8Array.from(other), 'ctx', () => 'again'),
      'one',
    )
  })

  test('the context is part of the key', () => {
    const cache = new ContentCache<string>()
    const bytes = new Uint8Array([1, 2, 3])
    cache.get(bytes, 'root A', () => 'A')
    assert.equal(
      cache.get(bytes, 'root B', () => 'B'),
      'B',
    )
    assert.equal(
      cache.get(bytes, 'root A', () => 'x'),
      'A',
    )
  })

  test('it keeps a copy: changing the caller buffer afterwards does not change what hits', () => {
    const cache = new ContentCache<string>()
    const bytes = new Uint8Array([9, 9, 9, 9])
    cache.get(bytes, 'ctx', () => 'nines')
    bytes[0] = 0
    assert.equal(
      cache.get(bytes, 'ctx', () => 'changed'),
      'changed',
    )
    assert.equal(
      cache.get(new Uint8Array([9, 9, 9, 9]), 'ctx', () => 'x'),
      'nines',
    )
  })

  test('failures are not remembered', () => {
    const cache = new ContentCache<string>()
    const bytes = new Uint8Array([1])
    assert.throws(() =>
      cache.get(bytes, 'ctx', () => {
        throw new Error('bad')
      }),
    )
    assert.equal(
      cache.get(bytes, 'ctx', () => 'ok'),
      'ok',
    )
  })

  test('bounded: the least recently used entries go first', () => {
    const cache = new ContentCache<number>(4)
    const key = (n: number): Uint8Array => new Uint8Array([n, n + 1, n + 2])
    for (let n = 0; n < 4; n++) cache.get(key(n), 'ctx', () => n)
    cache.get(key(0), 'ctx', () => -1) // used again: now the most recent
    cache.get(key(4), 'ctx', () => 4) // evicts key(1)
    assert.equal(
      cache.get(key(0), 'ctx', () => -1),
      0,
    )
    assert.equal(
      cache.get(key(1), 'ctx', () => -1),
      -1,
    )
  })

  test('same-fingerprint contents share a bounded bucket', () => {
    const cache = new ContentCache<number>()
    // Length 4096, samples every 128 bytes: contents differing only at byte 1 share a fingerprint.
    const variant = (n: number): Uint8Array => {
      const b = new Uint8Array(4096)
      b[1] = n
      return b
    }
    for (let n = 0; n < 20; n++) cache.get(variant(n), 'ctx', () => n)
    assert.equal(
      cache.get(variant(19), 'ctx', () => -1),
      19,
    )
    assert.equal(
      cache.get(variant(0), 'ctx', () => -1),
      -1,
    )
  })
})
