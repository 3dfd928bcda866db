import { RvpsError } from './errors.ts'

/**
 * A small, strict CBOR (RFC 8949) reader for manifests (CoRIM): every major type, definite and
 * indefinite lengths, half/single/double floats. Maps keep their entries in order and refuse
 * duplicate keys; integers beyond 2^53 are bigints; the input must hold exactly one item.
 * Errors are `INVALID_PAYLOAD` with an offset.
 */
export type CborValue =
  number | bigint | string | Uint8Array | boolean | null | undefined | CborValue[] | CborMap | CborTag

export class CborMap {
  readonly entries: readonly (readonly [CborValue, CborValue])[]
  constructor(entries: readonly (readonly [CborValue, CborValue])[]) {
    this.entries = entries
  }
  /** The value under an integer or text key. */
  get(key: number | string): CborValue {
    return this.entries.find(([k]) => k === key)?.[1]
  }
}

export class CborTag {
  readonly tag: number | bigint
  readonly value: CborValue
  constructor(tag: number | bigint, value: CborValue) {
    this.tag = tag
    this.value = value
  }
}

const MAX_DEPTH = 64
const BREAK = Symbol('break')

class CborReader {
  readonly bytes: Uint8Array
  position = 0

  constructor(bytes: Uint8Array) {
    this.bytes = bytes
  }

  fail(why: string): never {
    throw new RvpsError('INVALID_PAYLOAD', `CBOR: ${why} at offset ${this.position}`)
  }

  take(count: number): Uint8Array {
    if (count > this.bytes.length - this.position) this.fail('truncated item')
    const slice = this.bytes.subarray(this.position, this.position + count)
    this.position += count
    return slice
  }

  view(count: number): DataView {
    const slice = this.take(count)
    return new DataView(slice.buffer, slice.byteOffset, slice.byteLength)
  }

  byte(): number {
    return this.take(1)[0] as number
  }

  /** The argument of an initial byte; undefined for the indefinite-length marker. */
  argument(info: number): number | bigint | undefined {
    if (info < 24) return info
    if (info === 24) return this.byte()
    if (info === 25) return this.view(2).getUint16(0)
    if (info === 26) return this.view(4).getUint32(0)
    if (info === 27) {
      const big = this.view(8).getBigUint64(0)
      return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big
    }
    if (info === 31) return undefined
    return this.fail(`reserved additional information ${info}`)
  }

  length(info: number): number | undefined {
    const value = this.argument(info)
    if (typeof value === 'bigint' || (value !== undefined && value > this.bytes.length)) this.fail('length too large')
    return value
  }

  item(depth: number): CborValue | typeof BREAK {
    if (depth > MAX_DEPTH) this.fail('nesting too deep')
    const initial = this.byte()
    const major = initial >> 5
    const info = initial & 0x1f
    switch (major) {
      case 0:
      case 1: {
        const value = this.argument(info)
        if (value === undefined) return this.fail('indefinite integer')
        if (major === 0) return value
        return typeof value === 'bigint' || value === Number.MAX_SAFE_INTEGER ? -1n - BigInt(value) : -1 - value
      }
      case 2:
      case 3: {
        const length = this.length(info)
        const chunks: Uint8Array[] = []
        if (length !== undefined) chunks.push(this.take(length))
        else {
          for (;;) {
            const chunkInitial = this.byte()
            if (chunkInitial === 0xff) break
            if (chunkInitial >> 5 !== major) this.fail('chunk of another type in an indefinite string')
            const chunkLength = this.length(chunkInitial & 0x1f)
            if (chunkLength === undefined) this.fail('nested indefinite string')
            chunks.push(this.take(chunkLength))
          }
        }
        const joined = Buffer.concat(chunks)
        if (major === 2) return new Uint8Array(joined)
        try {
          return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(joined)
        } catch {
          return this.fail('text string is not UTF-8')
        }
      }
      case 4: {
        const length = this.length(info)
        const items: CborValue[] = []
        for (let i = 0; length === undefined || i < length; i++) {
          const element = this.item(depth + 1)
          if (element === BREAK) {
            if (length !== undefined) this.fail('unexpected break')
            break
          }
          items.push(element)
        }
        return items
      }
      case 5: {
        const length = this.length(info)
        const entries: [CborValue, CborValue][] = []
        for (let i = 0; length === undefined || i < length; i++) {
          const key = this.item(depth + 1)
          if (key === BREAK) {
            if (length !== undefined) this.fail('unexpected break')
            break
          }
          const value = this.item(depth + 1)
          if (value === BREAK) this.fail('map key without a value')
          if ((typeof key === 'number' || typeof key === 'string') && entries.some(([k]) => k === key)) {
            this.fail(`duplicate map key ${JSON.stringify(key)}`)
          }
          entries.push([key, value])
        }
        return new CborMap(entries)
      }
      case 6: {
        const tag = this.argument(info)
        if (tag === undefined) return this.fail('indefinite tag')
        const value = this.item(depth + 1)
        if (value === BREAK) return this.fail('tag without content')
        return new CborTag(tag, value)
      }
      default:
        return this.simple(info)
    }
  }

  simple(info: number): CborValue | typeof BREAK {
    if (info === 20) return false
    if (info === 21) return true
    if (info === 22) return null
    if (info === 23) return undefined
    if (info === 25) return halfFloat(this.view(2).getUint16(0))
    if (info === 26) return this.view(4).getFloat32(0)
    if (info === 27) return this.view(8).getFloat64(0)
    if (info === 31) return BREAK
    return this.fail(`unsupported simple value ${info}`)
  }
}

function halfFloat(bits: number): number {
  const exponent = (bits >> 10) & 0x1f
  const fraction = bits & 0x3ff
  const sign = bits & 0x8000 ? -1 : 1
  if (exponent === 0) return sign * fraction * 2 ** -24
  if (exponent === 31) return fraction === 0 ? sign * Infinity : Number.NaN
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15)
}

/** Decodes exactly one CBOR item. */
export function readCbor(bytes: Uint8Array): CborValue {
  const reader: CborReader = new CborReader(bytes)
  const value = reader.item(0)
  if (value === BREAK) reader.fail('unexpected break')
  if (reader.position !== bytes.length) reader.fail('trailing bytes after the item')
  return value
}
