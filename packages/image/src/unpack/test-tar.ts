// Test support: a small tar writer for building well-formed and deliberately broken archives.
import { createHash } from 'node:crypto'
import { Readable } from 'node:stream'

export interface TestEntry {
  name: string
  /** Tar typeflag character ('0' file, '1' hard link, '2' symlink, '5' dir, 'x' pax, 'L' GNU long name…). */
  type?: string
  data?: Buffer | string
  mode?: number
  uid?: number
  gid?: number
  mtime?: number
  linkname?: string
  devmajor?: number
  devminor?: number
  /** Pax records written in an `x` header before this entry. */
  pax?: Record<string, string>
  /** Raw bytes for the 12-byte size field (defaults to the data length in octal). */
  sizeField?: Buffer
  /** Add this to the computed checksum (non-zero = broken header). */
  checksumDelta?: number
  /** `gnu` writes the GNU magic instead of POSIX ustar. */
  magic?: 'ustar' | 'gnu' | 'none'
  /** Raw name bytes instead of `name` (e.g. invalid UTF-8). */
  nameBytes?: Buffer
}

function field(block: Buffer, offset: number, width: number, value: string): void {
  block.write(value, offset, width, 'utf8')
}

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`
}

export function tarHeader(e: TestEntry, size: number): Buffer {
  const b = Buffer.alloc(512)
  if (e.nameBytes !== undefined) e.nameBytes.copy(b, 0, 0, 100)
  else field(b, 0, 100, e.name)
  field(b, 100, 8, octal(e.mode ?? (e.type === '5' ? 0o755 : 0o644), 8))
  field(b, 108, 8, octal(e.uid ?? 0, 8))
  field(b, 116, 8, octal(e.gid ?? 0, 8))
  if (e.sizeField !== undefined) e.sizeField.copy(b, 124, 0, 12)
  else field(b, 124, 12, octal(size, 12))
  field(b, 136, 12, octal(e.mtime ?? 1700000000, 12))
  b.write(e.type ?? '0', 156, 1, 'latin1')
  field(b, 157, 100, e.linkname ?? '')
  if (e.magic === 'gnu') b.write('ustar  \0', 257, 8, 'latin1')
  else if (e.magic !== 'none') b.write('ustar\x0000', 257, 8, 'latin1')
  field(b, 329, 8, octal(e.devmajor ?? 0, 8))
  field(b, 337, 8, octal(e.devminor ?? 0, 8))
  b.fill(0x20, 148, 156)
  let sum = 0
  for (const x of b) sum += x
  field(b, 148, 8, `${(sum + (e.checksumDelta ?? 0)).toString(8).padStart(6, '0')}\0 `)
  return b
}

const pad = (n: number): Buffer => Buffer.alloc((512 - (n % 512)) % 512)

function paxBody(records: Record<string, string>): Buffer {
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`
    let len = Buffer.byteLength(body) + 1
    while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body)
    parts.push(Buffer.from(`${len}${body}`))
  }
  return Buffer.concat(parts)
}

/** The archive blocks for entries; `end` false leaves out the two zero blocks. */
export function buildTar(entries: readonly TestEntry[], end = true): Buffer {
  const out: Buffer[] = []
  for (const e of entries) {
    if (e.pax !== undefined) {
      const body = paxBody(e.pax)
      out.push(tarHeader({ name: 'PaxHeaders/x', type: 'x' }, body.length), body, pad(body.length))
    }
    const data = typeof e.data === 'string' ? Buffer.from(e.data) : (e.data ?? Buffer.alloc(0))
    out.push(tarHeader(e, data.length), data, pad(data.length))
  }
  if (end) out.push(Buffer.alloc(1024))
  return Buffer.concat(out)
}

export function sha256DiffId(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

/** `buf` as a stream of `size`-byte chunks (exercises headers split across chunks). */
export function chunked(buf: Buffer, size: number): AsyncIterable<Buffer> {
  const parts: Buffer[] = []
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size))
  return Readable.from(parts)
}
