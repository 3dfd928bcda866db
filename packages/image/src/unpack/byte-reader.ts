import { createHash, type Hash } from 'node:crypto'
import { UnpackError } from './unpack-error.ts'

const EMPTY = Buffer.alloc(0)

/**
 * Pulls chunks from an async source and hands out views of them (no copies, except a header that
 * straddles two chunks). Every byte pulled from the source is hashed, so the digest at the end is
 * the digest of the whole uncompressed stream (the layer's diff_id), trailing padding included.
 */
export class ByteReader {
  readonly #it: AsyncIterator<Uint8Array>
  readonly #hash: Hash
  #chunk: Buffer = EMPTY
  #ended = false
  #consumed = 0

  constructor(source: AsyncIterable<Uint8Array>, hashAlgorithm: string) {
    this.#it = source[Symbol.asyncIterator]()
    this.#hash = createHash(hashAlgorithm)
  }

  /** Bytes handed out (or skipped) so far. */
  get position(): number {
    return this.#consumed
  }

  async #fill(): Promise<boolean> {
    while (this.#chunk.length === 0) {
      if (this.#ended) return false
      const r = await this.#it.next()
      if (r.done === true) {
        this.#ended = true
        return false
      }
      const v = r.value
      const b = Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength)
      this.#hash.update(b)
      this.#chunk = b
    }
    return true
  }

  #take(n: number): Buffer {
    const out = this.#chunk.subarray(0, n)
    this.#chunk = this.#chunk.subarray(n)
    this.#consumed += out.length
    return out
  }

  /** Up to `max` (> 0) bytes as a view into the current chunk; null at the end of the input. */
  async readSome(max: number): Promise<Buffer | null> {
    if (!(await this.#fill())) return null
    return this.#take(Math.min(max, this.#chunk.length))
  }

  /**
   * Exactly `n` bytes. Null when the input ends before the first byte; TRUNCATED when it ends
   * after some of them. `what` names the thing being read for the error.
   */
  async readExact(n: number, what: string): Promise<Buffer | null> {
    if (!(await this.#fill())) return null
    if (this.#chunk.length >= n) return this.#take(n)
    const out = Buffer.allocUnsafe(n)
    let have = 0
    while (have < n) {
      if (!(await this.#fill())) {
        throw new UnpackError('TRUNCATED', `stream ended inside ${what} (${have} of ${n} bytes)`, { entry: what })
      }
      const part = this.#take(n - have)
      part.copy(out, have)
      have += part.length
    }
    return out
  }

  /** Skips `n` bytes; false when the input ends first. */
  async skip(n: number): Promise<boolean> {
    let left = n
    while (left > 0) {
      if (!(await this.#fill())) return false
      left -= this.#take(left).length
    }
    return true
  }

  /** Reads (and hashes) whatever is left, e.g. the zero blocks after the end-of-archive marker. */
  async drain(): Promise<void> {
    while (await this.#fill()) this.#take(this.#chunk.length)
  }

  /** Hex digest of every byte pulled from the source; call after `drain`. */
  digestHex(): string {
    return this.#hash.digest('hex')
  }

  /** Stops the source early (destroys a Node stream behind it). */
  async close(): Promise<void> {
    if (this.#ended) return
    this.#ended = true
    await this.#it.return?.()
  }
}
