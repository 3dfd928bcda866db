import assert from 'node:assert/strict'
import { createHmac, randomBytes } from 'node:crypto'
import { describe, test } from 'node:test'
import { authenticateLayer } from './layer-authenticate.ts'

const symkey = randomBytes(32)
const ciphertext = randomBytes(300_000)
const hmac = createHmac('sha256', symkey).update(ciphertext).digest()

/** `bytes` in chunks of `size` (the last one shorter). */
function* chunks(bytes: Buffer, size = 65_536): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

describe('authenticateLayer (pass 1: HMAC over the ciphertext, nothing decrypted)', () => {
  test('the right ciphertext authenticates, whatever the chunking; the byte count is returned', async () => {
    assert.equal(await authenticateLayer(chunks(ciphertext), { symkey, hmac }), ciphertext.length)
    assert.equal(await authenticateLayer(chunks(ciphertext, 1000), { symkey, hmac }), ciphertext.length)
    const empty = createHmac('sha256', symkey).digest()
    assert.equal(await authenticateLayer(chunks(Buffer.alloc(0)), { symkey, hmac: empty }), 0)
  })

  test('one flipped bit anywhere, a truncation, an extension or another key: HMAC_MISMATCH', async () => {
    for (const at of [0, 12_345, ciphertext.length - 1]) {
      const tampered = Buffer.from(ciphertext)
      tampered[at] = (tampered[at] ?? 0) ^ 0x01
      await assert.rejects(authenticateLayer(chunks(tampered), { symkey, hmac }), {
        code: 'HMAC_MISMATCH',
        message: new RegExp(`exp hmac '${hmac.toString('hex')}'`),
      })
    }
    await assert.rejects(authenticateLayer(chunks(ciphertext.subarray(1)), { symkey, hmac }), {
      code: 'HMAC_MISMATCH',
    })
    await assert.rejects(authenticateLayer(chunks(Buffer.concat([ciphertext, Buffer.from([0])])), { symkey, hmac }), {
      code: 'HMAC_MISMATCH',
    })
    await assert.rejects(authenticateLayer(chunks(ciphertext), { symkey: randomBytes(32), hmac }), {
      code: 'HMAC_MISMATCH',
    })
  })

  test('an input failure (digest mismatch, network) passes through unchanged', async () => {
    const failure = Object.assign(new Error('content digest sha256:aa is not sha256:bb'), { code: 'DIGEST_MISMATCH' })
    function* failing(): Generator<Buffer> {
      yield ciphertext.subarray(0, 10)
      throw failure
    }
    await assert.rejects(authenticateLayer(failing(), { symkey, hmac }), (e) => e === failure)
  })

  test('a key or HMAC of the wrong size: INVALID_OPTION before anything is read', async () => {
    let read = false
    function* watched(): Generator<Buffer> {
      read = true
      yield ciphertext
    }
    await assert.rejects(authenticateLayer(watched(), { symkey: randomBytes(16), hmac }), { code: 'INVALID_OPTION' })
    await assert.rejects(authenticateLayer(watched(), { symkey, hmac: hmac.subarray(1) }), { code: 'INVALID_OPTION' })
    assert.equal(read, false)
  })
})
