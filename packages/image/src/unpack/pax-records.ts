import { UnpackError } from './unpack-error.ts'

/** The pax keys this unpacker uses; other keys (atime, uname, comment…) are read and ignored. */
export interface PaxOverrides {
  path?: string
  linkpath?: string
  size?: number
  uid?: number
  gid?: number
  mtime?: number
  /** `SCHILY.xattr.<name>` records: name → raw value bytes. */
  xattrs?: Map<string, Buffer>
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

function decimalInteger(value: string, key: string, entry: string): number {
  if (!/^[0-9]{1,16}$/.test(value))
    throw new UnpackError('BAD_NUMBER', `pax ${key} is not a decimal integer`, { entry })
  const n = Number(value)
  if (!Number.isSafeInteger(n)) throw new UnpackError('BAD_NUMBER', `pax ${key} is too large`, { entry })
  return n
}

function decimalTime(value: string, entry: string): number {
  if (!/^-?[0-9]{1,16}(\.[0-9]{1,9})?$/.test(value)) {
    throw new UnpackError('BAD_NUMBER', 'pax mtime is not a decimal time', { entry })
  }
  return Number(value)
}

/**
 * Parses the records of a pax extended header (`<len> <key>=<value>\n`, len counting the whole
 * record). `entry` names the header in errors. Every record must be well formed.
 */
export function parsePaxRecords(data: Buffer, entry: string): PaxOverrides {
  const out: PaxOverrides = {}
  let pos = 0
  while (pos < data.length) {
    // Trailing NUL padding after the last record is tolerated (some writers emit it).
    if (data[pos] === 0 && data.subarray(pos).every((b) => b === 0)) break
    const sp = data.indexOf(0x20, pos)
    if (sp === -1 || sp - pos > 16) throw new UnpackError('BAD_PAX', 'pax record without a length', { entry })
    const lenText = data.toString('latin1', pos, sp)
    if (!/^[1-9][0-9]*$/.test(lenText)) throw new UnpackError('BAD_PAX', 'pax record length is not decimal', { entry })
    const len = Number(lenText)
    const end = pos + len
    if (end > data.length || end <= sp + 1 || data[end - 1] !== 0x0a) {
      throw new UnpackError('BAD_PAX', 'pax record length does not match its contents', { entry })
    }
    const record = data.subarray(sp + 1, end - 1)
    const eq = record.indexOf(0x3d)
    if (eq <= 0) throw new UnpackError('BAD_PAX', 'pax record without key=value', { entry })
    let key: string
    try {
      key = utf8.decode(record.subarray(0, eq))
    } catch (cause) {
      throw new UnpackError('BAD_PAX', 'pax record key is not UTF-8', { entry, cause })
    }
    const raw = record.subarray(eq + 1)
    applyRecord(out, key, raw, entry)
    pos = end
  }
  return out
}

function text(raw: Buffer, key: string, entry: string): string {
  try {
    return utf8.decode(raw)
  } catch (cause) {
    throw new UnpackError('BAD_PAX', `pax ${key} is not UTF-8`, { entry, cause })
  }
}

function applyRecord(out: PaxOverrides, key: string, raw: Buffer, entry: string): void {
  if (key.startsWith('SCHILY.xattr.')) {
    out.xattrs ??= new Map()
    out.xattrs.set(key.slice('SCHILY.xattr.'.length), Buffer.from(raw))
    return
  }
  if (key.startsWith('GNU.sparse.')) {
    throw new UnpackError('UNSUPPORTED_ENTRY', 'GNU sparse files are not supported', { entry })
  }
  // An empty value deletes the keyword: the header field applies again.
  const value = text(raw, key, entry)
  switch (key) {
    case 'path':
      if (value === '') delete out.path
      else out.path = value
      return
    case 'linkpath':
      if (value === '') delete out.linkpath
      else out.linkpath = value
      return
    case 'size':
      if (value === '') delete out.size
      else out.size = decimalInteger(value, key, entry)
      return
    case 'uid':
      if (value === '') delete out.uid
      else out.uid = decimalInteger(value, key, entry)
      return
    case 'gid':
      if (value === '') delete out.gid
      else out.gid = decimalInteger(value, key, entry)
      return
    case 'mtime':
      if (value === '') delete out.mtime
      else out.mtime = decimalTime(value, entry)
      return
    default:
      return
  }
}
