import { isJsonObject, type JsonObject } from '@carapace/protocol'
import { VerificationError } from '../verifier.ts'

/*
 * csv-rs structs arrive as serde JSON: byte arrays as JSON arrays of 0..255, integers as numbers.
 * `SerdeWriter` lays such an object out again as the C struct it mirrors, field by field, so that
 * certificates and reports are verified over exactly the bytes that were signed.
 */

export function malformed(path: string, detail: string): never {
  throw new VerificationError('EVIDENCE_MALFORMED', `evidence.${path}: ${detail}`)
}

/** An object with exactly the struct's fields (`optional` ones may be absent): nothing unread passes. */
export function objectAt(
  value: unknown,
  path: string,
  fields: readonly string[],
  optional: readonly string[] = [],
): JsonObject {
  if (!isJsonObject(value)) malformed(path, 'expected an object')
  for (const key of Object.keys(value)) {
    if (!fields.includes(key) && !optional.includes(key)) malformed(path, `unknown field ${JSON.stringify(key)}`)
  }
  for (const key of fields) if (!(key in value)) malformed(path, `missing field ${JSON.stringify(key)}`)
  return value
}

/** Bytes nothing signs must be zero, so that they cannot carry anything. */
export function requireZero(bytes: Uint8Array, path: string): void {
  if (bytes.some((b) => b !== 0)) malformed(path, 'unsigned bytes that must be zero')
}

/** A JSON array of byte values, of exactly `length` entries when given. */
export function byteArray(value: unknown, path: string, length?: number): Uint8Array {
  if (!Array.isArray(value)) malformed(path, 'expected an array of bytes')
  if (length !== undefined && value.length !== length) {
    malformed(path, `${String(value.length)} bytes, expected ${String(length)}`)
  }
  const out = new Uint8Array(value.length)
  for (let i = 0; i < value.length; i++) {
    const b: unknown = value[i]
    // `(b & 0xff) === b` holds exactly for the integers 0..255 (not for -1, 1.5, NaN or 256).
    if (typeof b !== 'number' || (b & 0xff) !== b) malformed(`${path}[${String(i)}]`, 'not a byte')
    out[i] = b
  }
  return out
}

export function unsigned(value: unknown, path: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    malformed(path, `expected an integer 0..${String(max)}`)
  }
  return value
}

export class SerdeWriter {
  readonly bytes: Uint8Array
  #at = 0
  readonly #view: DataView

  constructor(size: number) {
    this.bytes = new Uint8Array(size)
    this.#view = new DataView(this.bytes.buffer)
  }

  u8(object: JsonObject, field: string, path: string): void {
    this.bytes[this.#at] = unsigned(object[field], `${path}.${field}`, 0xff)
    this.#at += 1
  }

  u16(object: JsonObject, field: string, path: string): void {
    this.#view.setUint16(this.#at, unsigned(object[field], `${path}.${field}`, 0xffff), true)
    this.#at += 2
  }

  u32(object: JsonObject, field: string, path: string): void {
    this.#view.setUint32(this.#at, unsigned(object[field], `${path}.${field}`, 0xffffffff), true)
    this.#at += 4
  }

  array(object: JsonObject, field: string, path: string, length: number): Uint8Array {
    const bytes = byteArray(object[field], `${path}.${field}`, length)
    this.bytes.set(bytes, this.#at)
    this.#at += length
    return bytes
  }

  /** The struct is complete: every byte was written. */
  done(path: string): Uint8Array {
    if (this.#at !== this.bytes.length) malformed(path, 'internal layout error')
    return this.bytes
  }
}
