import { UnpackError } from './unpack-error.ts'

export const BLOCK = 512

/** The fields of one 512-byte tar header, before pax / GNU long-name overrides. */
export interface RawTarHeader {
  name: string
  mode: number
  uid: number
  gid: number
  size: number
  mtime: number
  typeflag: string
  linkname: string
  devmajor: number
  devminor: number
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** A NUL-terminated string field; the bytes must be UTF-8 (Node paths are strings). */
export function decodeString(field: Buffer, what: string, entry?: string): string {
  const end = field.indexOf(0)
  const bytes = end === -1 ? field : field.subarray(0, end)
  try {
    return utf8.decode(bytes)
  } catch (cause) {
    throw new UnpackError('PATH_INVALID', `${what} is not valid UTF-8`, {
      cause,
      entry: entry ?? bytes.toString('latin1'),
    })
  }
}

/**
 * A numeric field: octal ASCII (leading spaces, terminated by space or NUL) or GNU base-256
 * (high bit of the first byte set; only non-negative values are accepted).
 */
export function parseNumber(field: Buffer, what: string, entry: string): number {
  const first = field[0] ?? 0
  if ((first & 0x80) !== 0) {
    if (first === 0xff) throw new UnpackError('BAD_NUMBER', `negative base-256 ${what}`, { entry })
    let v = first & 0x7f
    for (let i = 1; i < field.length; i++) {
      v = v * 256 + (field[i] ?? 0)
      if (v > Number.MAX_SAFE_INTEGER) throw new UnpackError('BAD_NUMBER', `base-256 ${what} is too large`, { entry })
    }
    return v
  }
  let i = 0
  while (i < field.length && field[i] === 0x20) i++
  let v = 0
  let digits = 0
  for (; i < field.length; i++) {
    const c = field[i] ?? 0
    if (c === 0 || c === 0x20) break
    if (c < 0x30 || c > 0x37) throw new UnpackError('BAD_NUMBER', `${what} is not an octal number`, { entry })
    v = v * 8 + (c - 0x30)
    digits++
  }
  for (; i < field.length; i++) {
    const c = field[i] ?? 0
    if (c !== 0 && c !== 0x20) throw new UnpackError('BAD_NUMBER', `${what} has bytes after its terminator`, { entry })
  }
  if (digits > 0 && v > Number.MAX_SAFE_INTEGER) throw new UnpackError('BAD_NUMBER', `${what} is too large`, { entry })
  return v
}

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i += 8) if (block.readBigUInt64LE(i) !== 0n) return false
  return true
}

function checksumOk(block: Buffer, stored: number): boolean {
  let unsigned = 0
  let signed = 0
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0)
    unsigned += b
    signed += b > 127 ? b - 256 : b
  }
  // Historic writers summed signed chars; GNU tar and Go accept both.
  return stored === unsigned || stored === signed
}

/** Parses and validates one header block (not all-zero). */
export function parseHeader(block: Buffer): RawTarHeader {
  const magic = block.toString('latin1', 257, 263)
  const version = block.toString('latin1', 263, 265)
  const posix = magic === 'ustar\0' && version === '00'
  const gnu = magic === 'ustar ' && version === ' \0'
  const rawName = block.subarray(0, 100)
  const nul = rawName.indexOf(0)
  const printable = rawName.toString('latin1', 0, nul === -1 ? 100 : nul)
  if (!posix && !gnu) throw new UnpackError('BAD_HEADER', 'not a ustar, pax or GNU tar header', { entry: printable })
  const stored = parseNumber(block.subarray(148, 156), 'checksum', printable)
  if (!checksumOk(block, stored))
    throw new UnpackError('BAD_CHECKSUM', 'tar header checksum mismatch', { entry: printable })
  let name = decodeString(rawName, 'entry name', printable)
  if (posix && block[345] !== 0) {
    name = `${decodeString(block.subarray(345, 500), 'entry name prefix', name)}/${name}`
  }
  const tf = block[156] ?? 0
  return {
    name,
    mode: parseNumber(block.subarray(100, 108), 'mode', name),
    uid: parseNumber(block.subarray(108, 116), 'uid', name),
    gid: parseNumber(block.subarray(116, 124), 'gid', name),
    size: parseNumber(block.subarray(124, 136), 'size', name),
    mtime: parseNumber(block.subarray(136, 148), 'mtime', name),
    typeflag: String.fromCharCode(tf),
    linkname: decodeString(block.subarray(157, 257), 'link name', name),
    devmajor: parseNumber(block.subarray(329, 337), 'devmajor', name),
    devminor: parseNumber(block.subarray(337, 345), 'devminor', name),
  }
}
