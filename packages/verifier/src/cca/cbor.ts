import { VerificationError } from '../verifier.ts'

/*
 * The CBOR (RFC 8949) that CCA attestation tokens use: definite lengths only (the tokens are
 * deterministically encoded), integers up to 2^53, byte and text strings, arrays, maps, tags and
 * false/true/null. A reader for the evidence and a writer for COSE Sig_structure (and test tokens).
 */

export type CborValue = number | string | Uint8Array | boolean | null | CborValue[] | CborMap | CborTagged

export class CborMap {
  readonly entries: readonly (readonly [CborValue, CborValue])[]
  constructor(entries: readonly (readonly [CborValue, CborValue])[]) {
    this.entries = entries
  }
  get(key: number | string): CborValue | undefined {
    return this.entries.find(([k]) => k === key)?.[1]
  }
}

export class CborTagged {
  readonly tag: number
  readonly value: CborValue
  constructor(tag: number, value: CborValue) {
    this.tag = tag
    this.value = value
  }
}

const MAX_DEPTH = 32

function malformed(message: string, offset: number): VerificationError {
  return new VerificationError('EVIDENCE_MALFORMED', `CCA token CBOR: ${message} at offset ${String(offset)}`)
}

class Reader {
  readonly bytes: Uint8Array
  offset = 0
  constructor(bytes: Uint8Array) {
    this.bytes = bytes
  }

  take(count: number): Uint8Array {
    if (count > this.bytes.length - this.offset) throw malformed('truncated item', this.offset)
    const out = this.bytes.subarray(this.offset, this.offset + count)
    this.offset += count
    return out
  }

  argument(info: number): number {
    if (info < 24) return info
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0
    if (size === 0) throw malformed(`additional information ${String(info)} is not supported`, this.offset)
    let value = 0
    for (const b of this.take(size)) value = value * 256 + b
    if (!Number.isSafeInteger(value)) throw malformed('integer beyond 2^53', this.offset)
    return value
  }

  item(depth: number): CborValue {
    if (depth > MAX_DEPTH) throw malformed('nesting too deep', this.offset)
    const initial = this.take(1)[0] ?? 0
    const major = initial >> 5
    const info = initial & 0x1f
    if (major === 7) {
      if (info === 20) return false
      if (info === 21) return true
      if (info === 22) return null
      throw malformed(`simple value ${String(info)} is not supported`, this.offset)
    }
    const arg = this.argument(info)
    switch (major) {
      case 0:
        return arg
      case 1:
        return -1 - arg
      case 2:
        return new Uint8Array(this.take(arg))
      case 3:
        try {
          return new TextDecoder('utf-8', { fatal: true }).decode(this.take(arg))
        } catch {
          throw malformed('text string is not UTF-8', this.offset)
        }
      case 4: {
        if (arg > this.bytes.length - this.offset) throw malformed('array longer than the input', this.offset)
        const items: CborValue[] = []
        for (let i = 0; i < arg; i++) items.push(this.item(depth + 1))
        return items
      }
      case 5: {
        if (arg > this.bytes.length - this.offset) throw malformed('map longer than the input', this.offset)
        const entries: [CborValue, CborValue][] = []
        for (let i = 0; i < arg; i++) {
          const key = this.item(depth + 1)
          if (typeof key !== 'number' && typeof key !== 'string')
            throw malformed('map key is not an int or text', this.offset)
          if (entries.some(([k]) => k === key)) throw malformed(`duplicate map key ${String(key)}`, this.offset)
          entries.push([key, this.item(depth + 1)])
        }
        return new CborMap(entries)
      }
      default:
        return new CborTagged(arg, this.item(depth + 1))
    }
  }
}

/** Exactly one CBOR item; trailing bytes are malformed. */
export function decodeCbor(bytes: Uint8Array): CborValue {
  const reader = new Reader(bytes)
  const value = reader.item(0)
  if (reader.offset !== bytes.length) throw malformed('trailing bytes', reader.offset)
  return value
}

function head(major: number, value: number): Uint8Array {
  const m = major << 5
  if (value < 24) return new Uint8Array([m | value])
  if (value < 0x100) return new Uint8Array([m | 24, value])
  if (value < 0x10000) return new Uint8Array([m | 25, value >> 8, value & 0xff])
  if (value < 0x100000000) {
    const b = Buffer.alloc(5)
    b[0] = m | 26
    b.writeUInt32BE(value, 1)
    return b
  }
  const b = Buffer.alloc(9)
  b[0] = m | 27
  b.writeBigUInt64BE(BigInt(value), 1)
  return b
}

/** Encodes a value with the shortest heads (map entries in the order given). */
export function encodeCbor(value: CborValue): Uint8Array {
  const parts: Uint8Array[] = []
  const write = (v: CborValue): void => {
    if (v === false || v === true || v === null) parts.push(new Uint8Array([v === null ? 0xf6 : v ? 0xf5 : 0xf4]))
    else if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new RangeError('CBOR: only safe integers are encoded')
      parts.push(v >= 0 ? head(0, v) : head(1, -1 - v))
    } else if (typeof v === 'string') {
      const text = new TextEncoder().encode(v)
      parts.push(head(3, text.length), text)
    } else if (v instanceof Uint8Array) parts.push(head(2, v.length), v)
    else if (Array.isArray(v)) {
      parts.push(head(4, v.length))
      v.forEach(write)
    } else if (v instanceof CborMap) {
      parts.push(head(5, v.entries.length))
      for (const [k, item] of v.entries) {
        write(k)
        write(item)
      }
    } else {
      parts.push(head(6, v.tag))
      write(v.value)
    }
  }
  write(value)
  return new Uint8Array(Buffer.concat(parts))
}
