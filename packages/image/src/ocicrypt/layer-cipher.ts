import { createCipheriv, createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { Transform } from 'node:stream'
import type { TransformCallback } from 'node:stream'
import { HMAC_BYTES, NONCE_BYTES, SYMKEY_BYTES } from './layer-options.ts'
import { OcicryptError } from './ocicrypt-error.ts'

// AES_256_CTR_HMAC_SHA256 (spec §2): Node's aes-256-ctr increments the 16-byte IV as one 128-bit
// big-endian counter, exactly like Go's cipher.NewCTR; the HMAC key is the AES key, over the ciphertext.

/** Go ocicrypt withholds the last 10 KiB of plaintext until the HMAC verdict; we do the same. */
export const DEFAULT_HOLD_BACK_BYTES = 10 * 1024
const STREAM_HIGH_WATER_MARK = 1024 * 1024

export interface LayerCipherKey {
  symkey: Uint8Array
  nonce: Uint8Array
}

function checkKey(key: LayerCipherKey): void {
  if (key.symkey.length !== SYMKEY_BYTES || key.nonce.length !== NONCE_BYTES) {
    throw new OcicryptError('INVALID_OPTION', `layer key must be ${SYMKEY_BYTES} bytes and nonce ${NONCE_BYTES} bytes`)
  }
}

/** What the encrypt stream measured over the ciphertext it produced. */
export interface LayerEncryptResult {
  hmac: Buffer
  /** `sha256:<hex>` of the ciphertext, the encrypted descriptor's digest. */
  digest: string
  size: number
}

/** Plaintext in, ciphertext out; `result` settles when the stream has flushed (or failed). */
export class LayerEncryptStream extends Transform {
  readonly result: Promise<LayerEncryptResult>
  #cipher: ReturnType<typeof createCipheriv>
  #hmac: ReturnType<typeof createHmac>
  #sha256: ReturnType<typeof createHash> = createHash('sha256')
  #size = 0
  #resolve!: (r: LayerEncryptResult) => void
  #reject!: (e: Error) => void
  #settled = false

  constructor(key: LayerCipherKey) {
    super({ readableHighWaterMark: STREAM_HIGH_WATER_MARK, writableHighWaterMark: STREAM_HIGH_WATER_MARK })
    checkKey(key)
    this.#cipher = createCipheriv('aes-256-ctr', key.symkey, key.nonce)
    this.#hmac = createHmac('sha256', key.symkey)
    this.result = new Promise((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    this.result.catch(() => {})
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const out = this.#cipher.update(chunk)
    this.#hmac.update(out)
    this.#sha256.update(out)
    this.#size += out.length
    callback(null, out)
  }

  override _flush(callback: TransformCallback): void {
    const tail = this.#cipher.final()
    if (tail.length > 0) {
      this.#hmac.update(tail)
      this.#sha256.update(tail)
      this.#size += tail.length
      this.push(tail)
    }
    this.#settled = true
    this.#resolve({ hmac: this.#hmac.digest(), digest: `sha256:${this.#sha256.digest('hex')}`, size: this.#size })
    callback()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#settled) {
      this.#settled = true
      this.#reject(new OcicryptError('STREAM_ABORTED', 'layer encryption did not complete', { cause: error }))
    }
    callback(error)
  }
}

export interface LayerDecryptOptions {
  /** Plaintext bytes withheld until the HMAC is verified (default 10 KiB, as Go ocicrypt). */
  holdBackBytes?: number
}

/**
 * Ciphertext in, plaintext out. The HMAC is checked at the end of the input: on mismatch the stream
 * errors with HMAC_MISMATCH before its last `holdBackBytes` are released, and `verified` rejects.
 * A consumer must write into a staging area and commit only after `verified` resolved.
 */
export class LayerDecryptStream extends Transform {
  readonly verified: Promise<void>
  #decipher: ReturnType<typeof createDecipheriv>
  #hmac: ReturnType<typeof createHmac>
  #expected: Buffer
  #holdBack: number
  #tail: Buffer = Buffer.alloc(0)
  #resolve!: () => void
  #reject!: (e: Error) => void
  #settled = false

  constructor(key: LayerCipherKey, expectedHmac: Uint8Array, options: LayerDecryptOptions = {}) {
    super({ readableHighWaterMark: STREAM_HIGH_WATER_MARK, writableHighWaterMark: STREAM_HIGH_WATER_MARK })
    checkKey(key)
    if (expectedHmac.length !== HMAC_BYTES) throw new OcicryptError('INVALID_OPTION', 'expected HMAC must be 32 bytes')
    this.#holdBack = options.holdBackBytes ?? DEFAULT_HOLD_BACK_BYTES
    if (!Number.isSafeInteger(this.#holdBack) || this.#holdBack < 0) {
      throw new OcicryptError('INVALID_OPTION', 'holdBackBytes must be a non-negative integer')
    }
    this.#decipher = createDecipheriv('aes-256-ctr', key.symkey, key.nonce)
    this.#hmac = createHmac('sha256', key.symkey)
    this.#expected = Buffer.from(expectedHmac)
    this.verified = new Promise((resolve, reject) => {
      this.#resolve = resolve
      this.#reject = reject
    })
    this.verified.catch(() => {})
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#hmac.update(chunk)
    this.#release(this.#decipher.update(chunk))
    callback()
  }

  #release(plain: Buffer): void {
    if (plain.length >= this.#holdBack) {
      if (this.#tail.length > 0) this.push(this.#tail)
      const cut = plain.length - this.#holdBack
      if (cut > 0) this.push(plain.subarray(0, cut))
      // copy: the retained tail must not pin the whole (large) chunk
      this.#tail = Buffer.from(plain.subarray(cut))
      return
    }
    const joined = Buffer.concat([this.#tail, plain])
    const cut = joined.length - this.#holdBack
    if (cut > 0) {
      this.push(joined.subarray(0, cut))
      this.#tail = Buffer.from(joined.subarray(cut))
    } else {
      this.#tail = joined
    }
  }

  override _flush(callback: TransformCallback): void {
    const last = this.#decipher.final()
    const actual = this.#hmac.digest()
    this.#settled = true
    if (!timingSafeEqual(actual, this.#expected)) {
      const error = new OcicryptError(
        'HMAC_MISMATCH',
        `could not properly decrypt byte stream; exp hmac: '${this.#expected.toString('hex')}', actual hmac: '${actual.toString('hex')}'`,
      )
      this.#tail = Buffer.alloc(0)
      this.#reject(error)
      callback(error)
      return
    }
    this.#resolve()
    const rest = Buffer.concat([this.#tail, last])
    this.#tail = Buffer.alloc(0)
    callback(null, rest.length > 0 ? rest : undefined)
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#settled) {
      this.#settled = true
      this.#reject(new OcicryptError('STREAM_ABORTED', 'layer ended before its HMAC was verified', { cause: error }))
    }
    callback(error)
  }
}
