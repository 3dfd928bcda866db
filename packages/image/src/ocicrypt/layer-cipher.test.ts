import { createHash, randomBytes } from 'node:crypto'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { DEFAULT_HOLD_BACK_BYTES, LayerDecryptStream, LayerEncryptStream } from './layer-cipher.ts'

const key = { symkey: randomBytes(32), nonce: randomBytes(16) }

async function encrypt(plain: Buffer): Promise<{ blob: Buffer; hmac: Buffer }> {
  const enc = new LayerEncryptStream(key)
  const out: Buffer[] = []
  await pipeline(
    Readable.from([plain]),
    enc,
    new Writable({
      write(c: Buffer, _e, cb) {
        out.push(c)
        cb()
      },
    }),
  )
  const { hmac } = await enc.result
  return { blob: Buffer.concat(out), hmac }
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

describe('AES_256_CTR_HMAC_SHA256 streams', () => {
  test('the ciphertext is plain AES-256-CTR (128-bit counter) and the HMAC is over the ciphertext', async () => {
    const plain = randomBytes(100_000)
    const { blob, hmac } = await encrypt(plain)
    assert.equal(blob.length, plain.length)
    // counter overflow of the low 64 bits carries into the high half, as Go's cipher.NewCTR
    const enc = new LayerEncryptStream({
      symkey: key.symkey,
      nonce: Buffer.from('00000000000000ffffffffffffffffff', 'hex'),
    })
    enc.end(Buffer.alloc(64))
    const out: Buffer[] = []
    for await (const c of enc) out.push(c as Buffer)
    const second = Buffer.concat(out).subarray(16, 32)
    const { createCipheriv, createHmac } = await import('node:crypto')
    const ecb = createCipheriv('aes-256-ecb', key.symkey, null).setAutoPadding(false)
    assert.deepEqual(second, ecb.update(Buffer.from('00000000000001000000000000000000', 'hex')))
    assert.deepEqual(hmac, createHmac('sha256', key.symkey).update(blob).digest())
  })

  test('the last 10 KiB are withheld until the end of input, then released with verified resolved', async () => {
    const plain = randomBytes(200_000)
    const { blob, hmac } = await encrypt(plain)
    const dec = new LayerDecryptStream(key, hmac)
    const received: Buffer[] = []
    dec.on('data', (c: Buffer) => received.push(c))
    let verified = false
    void dec.verified.then(() => (verified = true))
    for (let i = 0; i < blob.length; i += 7_777) dec.write(blob.subarray(i, i + 7_777))
    await nextTick()
    assert.equal(Buffer.concat(received).length, plain.length - DEFAULT_HOLD_BACK_BYTES)
    assert.equal(verified, false)
    dec.end()
    await dec.verified
    await new Promise((resolve) => dec.on('end', resolve))
    assert.deepEqual(Buffer.concat(received), plain)
  })

  test('a truncated or extended ciphertext fails HMAC; a destroyed stream rejects verified with STREAM_ABORTED', async () => {
    const plain = randomBytes(50_000)
    const { blob, hmac } = await encrypt(plain)
    for (const damaged of [blob.subarray(0, blob.length - 1), Buffer.concat([blob, Buffer.from([0])])]) {
      const dec = new LayerDecryptStream(key, hmac)
      const sink = new Writable({
        write(_c, _e, cb) {
          cb()
        },
      })
      await assert.rejects(pipeline(Readable.from([damaged]), dec, sink), { code: 'HMAC_MISMATCH' })
      await assert.rejects(dec.verified, { code: 'HMAC_MISMATCH' })
    }
    const dec = new LayerDecryptStream(key, hmac)
    const failed = new Promise((resolve) => dec.on('error', resolve))
    dec.write(blob.subarray(0, 1000))
    dec.destroy(new Error('registry connection reset'))
    await assert.rejects(dec.verified, { code: 'STREAM_ABORTED' })
    assert.match(String(await failed), /connection reset/)
  })

  test('wrong key or IV sizes are rejected', () => {
    assert.throws(() => new LayerEncryptStream({ symkey: randomBytes(16), nonce: randomBytes(16) }), {
      code: 'INVALID_OPTION',
    })
    assert.throws(() => new LayerDecryptStream({ symkey: randomBytes(32), nonce: randomBytes(12) }, randomBytes(32)), {
      code: 'INVALID_OPTION',
    })
    assert.throws(() => new LayerDecryptStream(key, randomBytes(31)), { code: 'INVALID_OPTION' })
  })

  test('64 MiB through encrypt → decrypt keeps memory bounded (no whole-layer buffering)', async (t) => {
    const total = 64 * 1024 * 1024
    const block = randomBytes(1024 * 1024)
    let produced = 0
    const source = new Readable({
      read() {
        if (produced >= total) {
          this.push(null)
          return
        }
        produced += block.length
        this.push(block)
      },
    })
    // live memory, not garbage awaiting collection: collect before each sample
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    gc()
    const baseline = process.memoryUsage()
    let peak = 0
    const sample = (): void => {
      gc()
      const m = process.memoryUsage()
      peak = Math.max(peak, m.heapUsed + m.arrayBuffers - (baseline.heapUsed + baseline.arrayBuffers))
    }
    const enc = new LayerEncryptStream(key)
    // the decrypter needs the HMAC up front: run it over a tee of the ciphertext and check at the end
    const hashIn = createHash('sha256')
    const hashOut = createHash('sha256')
    let seen = 0
    const plainCheck = new Writable({
      write(c: Buffer, _e, cb) {
        hashOut.update(c)
        seen += c.length
        if ((seen & 0x7fffff) === 0) sample()
        cb()
      },
    })
    // encrypt once to learn the HMAC, streaming, then decrypt the regenerated ciphertext
    let encrypted = 0
    const discard = new Writable({
      write(c: Buffer, _e, cb) {
        encrypted += c.length
        if ((encrypted & 0x7fffff) === 0) sample()
        cb()
      },
    })
    await pipeline(source, enc, discard)
    const { hmac, size } = await enc.result
    assert.equal(size, total)
    produced = 0
    const again = new Readable({
      read() {
        if (produced >= total) {
          this.push(null)
          return
        }
        produced += block.length
        hashIn.update(block)
        this.push(block)
      },
    })
    await pipeline(again, new LayerEncryptStream(key), new LayerDecryptStream(key, hmac), plainCheck)
    assert.equal(seen, total)
    assert.equal(hashOut.digest('hex'), hashIn.digest('hex'))
    sample()
    t.diagnostic(`peak heap+arrayBuffers growth ${(peak / 1048576).toFixed(1)} MiB`)
    // a few 1 MiB stream buffers per stage are live at once; half the layer would mean buffering
    assert.ok(peak < 32 * 1024 * 1024, `peak growth ${(peak / 1048576).toFixed(1)} MiB for a 64 MiB layer`)
  })
})
