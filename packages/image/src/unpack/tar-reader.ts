import type { ByteReader } from './byte-reader.ts'
import { parsePaxRecords, type PaxOverrides } from './pax-records.ts'
import { BLOCK, decodeString, isZeroBlock, parseHeader } from './tar-header.ts'
import { UnpackError } from './unpack-error.ts'

export type TarEntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo'

/** One archive member with pax and GNU long-name overrides applied. */
export interface TarEntry {
  /** The path as written in the archive (not yet normalized). */
  path: string
  type: TarEntryType
  /** Data bytes that follow the header (0 for every type but `file`). */
  size: number
  /** Permission bits including setuid/setgid/sticky. */
  mode: number
  uid: number
  gid: number
  /** Seconds since the epoch, possibly fractional (pax). */
  mtime: number
  /** Symlink target or hard link target path. */
  linkname: string
  devmajor: number
  devminor: number
  xattrs: ReadonlyMap<string, Buffer>
}

export interface TarLimits {
  /** Largest accepted entry size in bytes. */
  maxEntrySize: number
  /** Largest accepted pax header or GNU long name / link. */
  maxMetadataSize: number
}

const TYPES: Readonly<Record<string, TarEntryType>> = {
  '\0': 'file',
  '0': 'file',
  '7': 'file',
  '1': 'hardlink',
  '2': 'symlink',
  '3': 'char',
  '4': 'block',
  '5': 'dir',
  '6': 'fifo',
}

const padding = (n: number): number => (BLOCK - (n % BLOCK)) % BLOCK
const NO_XATTRS: ReadonlyMap<string, Buffer> = new Map()

/**
 * A streaming tar reader: `next()` returns the next member (skipping any unread data of the
 * previous one), `data()` yields the current member's content as views of the input chunks.
 * Formats: ustar, pax (`x` per-file records; `g` global records are validated and ignored),
 * GNU (`L` long name, `K` long link). An end-of-input exactly at a header boundary is accepted as
 * the end of the archive, as Go's archive/tar (containerd, containers/storage) does.
 */
export class TarReader {
  readonly #in: ByteReader
  readonly #limits: TarLimits
  #left = 0
  #pad = 0
  #current = ''
  #done = false

  constructor(input: ByteReader, limits: TarLimits) {
    this.#in = input
    this.#limits = limits
  }

  async #skipRest(): Promise<void> {
    const n = this.#left + this.#pad
    this.#left = 0
    this.#pad = 0
    if (n > 0 && !(await this.#in.skip(n))) {
      throw new UnpackError('TRUNCATED', 'stream ended inside entry data', { entry: this.#current })
    }
  }

  async #readMeta(size: number, what: string, entry: string): Promise<Buffer> {
    if (size > this.#limits.maxMetadataSize) {
      throw new UnpackError('ENTRY_TOO_LARGE', `${what} of ${size} bytes exceeds the limit`, { entry })
    }
    const data = size === 0 ? Buffer.alloc(0) : await this.#in.readExact(size, entry)
    if (data === null) throw new UnpackError('TRUNCATED', `stream ended before the ${what} data`, { entry })
    const copy = Buffer.from(data)
    if (!(await this.#in.skip(padding(size)))) throw new UnpackError('TRUNCATED', `stream ended in ${what}`, { entry })
    return copy
  }

  /** The next member, or null at the end of the archive. */
  async next(): Promise<TarEntry | null> {
    await this.#skipRest()
    if (this.#done) return null
    let pax: PaxOverrides = {}
    let longName: string | undefined
    let longLink: string | undefined
    let pending = false
    for (;;) {
      const block = await this.#in.readExact(
        BLOCK,
        this.#current === '' ? 'first tar header' : `header after ${this.#current}`,
      )
      if (block === null || isZeroBlock(block)) {
        if (pending)
          throw new UnpackError('TRUNCATED', 'archive ended after an extended header', { entry: this.#current })
        this.#done = true
        return null
      }
      const h = parseHeader(block)
      this.#current = h.name
      if (h.typeflag === 'x' || h.typeflag === 'g') {
        const records = parsePaxRecords(await this.#readMeta(h.size, 'pax header', h.name), h.name)
        if (h.typeflag === 'x') {
          pax = records
          pending = true
        }
        continue
      }
      if (h.typeflag === 'L' || h.typeflag === 'K') {
        const data = await this.#readMeta(h.size, 'GNU long name', h.name)
        const value = decodeString(data, 'GNU long name', h.name)
        if (h.typeflag === 'L') longName = value
        else longLink = value
        pending = true
        continue
      }
      const path = pax.path ?? longName ?? h.name
      // Old (pre-POSIX) archives mark directories with a NUL type and a trailing slash.
      const type = h.typeflag === '\0' && path.endsWith('/') ? 'dir' : TYPES[h.typeflag]
      if (type === undefined) {
        throw new UnpackError('UNSUPPORTED_ENTRY', `tar entry type '${h.typeflag}' is not supported`, { entry: path })
      }
      const size = type === 'file' ? (pax.size ?? h.size) : 0
      if (size > this.#limits.maxEntrySize) {
        throw new UnpackError('ENTRY_TOO_LARGE', `entry of ${size} bytes exceeds the limit`, { entry: path })
      }
      this.#current = path
      this.#left = size
      this.#pad = padding(size)
      return {
        path,
        type,
        size,
        mode: h.mode & 0o7777,
        uid: pax.uid ?? h.uid,
        gid: pax.gid ?? h.gid,
        mtime: pax.mtime ?? h.mtime,
        linkname: pax.linkpath ?? longLink ?? h.linkname,
        devmajor: h.devmajor,
        devminor: h.devminor,
        xattrs: pax.xattrs ?? NO_XATTRS,
      }
    }
  }

  /** The current member's data, as views of the input chunks (sources never reuse a chunk's memory). */
  async *data(): AsyncGenerator<Buffer> {
    while (this.#left > 0) {
      const part = await this.#in.readSome(this.#left)
      if (part === null) throw new UnpackError('TRUNCATED', 'stream ended inside entry data', { entry: this.#current })
      this.#left -= part.length
      yield part
    }
  }
}
