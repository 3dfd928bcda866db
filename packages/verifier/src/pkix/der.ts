import { VerificationError, type VerificationErrorCode } from '../verifier.ts'

/**
 * A strict DER (X.690) reader: definite, minimal lengths only, every length bounds-checked, single-byte
 * tags only (X.509, CRLs and the vendor extensions never need high tag numbers). Every failure is a
 * `VerificationError` with the code the caller chose when it started reading (default
 * `EVIDENCE_MALFORMED`); elements read from an element inherit it.
 */

export type DerTagClass = 'universal' | 'application' | 'context' | 'private'

export interface DerElement {
  /** The identifier octet as it is on the wire (e.g. 0x30 SEQUENCE, 0xa0 `[0]` constructed). */
  readonly tag: number
  readonly tagClass: DerTagClass
  readonly constructed: boolean
  /** The tag number within its class (0..30). */
  readonly tagNumber: number
  /** The whole TLV. */
  readonly bytes: Uint8Array
  /** The value octets. */
  readonly content: Uint8Array
  /** The code every error about this element (or its children) carries. */
  readonly errorCode: VerificationErrorCode
}

export const DerTag = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  objectIdentifier: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  t61String: 0x14,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  bmpString: 0x1e,
  sequence: 0x30,
  set: 0x31,
} as const

const CLASSES: readonly DerTagClass[] = ['universal', 'application', 'context', 'private']

export function derFail(code: VerificationErrorCode, message: string): never {
  throw new VerificationError(code, `DER: ${message}`)
}

/** Reads the element starting at `offset`; returns it and the offset just after it. */
export function readDerAt(
  bytes: Uint8Array,
  offset: number,
  errorCode: VerificationErrorCode = 'EVIDENCE_MALFORMED',
): { element: DerElement; next: number } {
  const fail = (message: string): never => derFail(errorCode, `${message} at offset ${offset}`)
  if (offset + 2 > bytes.length) fail('truncated element header')
  const tag = bytes[offset] as number
  if ((tag & 0x1f) === 0x1f) fail('high tag numbers are not supported')
  const first = bytes[offset + 1] as number
  let length: number
  let headerLength: number
  if (first < 0x80) {
    length = first
    headerLength = 2
  } else {
    const count = first & 0x7f
    if (count === 0) fail('indefinite length is not DER')
    if (count > 4) fail('length too large')
    if (offset + 2 + count > bytes.length) fail('truncated length')
    if (bytes[offset + 2] === 0) fail('length with leading zero octet is not DER')
    length = 0
    for (let i = 0; i < count; i += 1) length = length * 256 + (bytes[offset + 2 + i] as number)
    if (length < 0x80) fail('long-form length for a short length is not DER')
    headerLength = 2 + count
  }
  const end = offset + headerLength + length
  if (end > bytes.length) fail(`length ${length} runs past the end of the input`)
  const element: DerElement = {
    tag,
    tagClass: CLASSES[tag >> 6] as DerTagClass,
    constructed: (tag & 0x20) !== 0,
    tagNumber: tag & 0x1f,
    bytes: bytes.subarray(offset, end),
    content: bytes.subarray(offset + headerLength, end),
    errorCode,
  }
  return { element, next: end }
}

/** Reads exactly one element that fills `bytes` (trailing bytes are an error). */
export function readDer(bytes: Uint8Array, errorCode: VerificationErrorCode = 'EVIDENCE_MALFORMED'): DerElement {
  const { element, next } = readDerAt(bytes, 0, errorCode)
  if (next !== bytes.length) derFail(errorCode, `${bytes.length - next} trailing bytes after the element`)
  return element
}

/** The elements inside a constructed element (SEQUENCE, SET, constructed context tag), in order. */
export function derChildren(element: DerElement): DerElement[] {
  if (!element.constructed) derFail(element.errorCode, `tag 0x${hex(element.tag)} is not constructed`)
  const children: DerElement[] = []
  for (let offset = 0; offset < element.content.length;) {
    const { element: child, next } = readDerAt(element.content, offset, element.errorCode)
    children.push(child)
    offset = next
  }
  return children
}

/** Fails unless the element has the given identifier octet. */
export function expectTag(element: DerElement, tag: number, what: string): DerElement {
  if (element.tag !== tag) derFail(element.errorCode, `${what}: expected tag 0x${hex(tag)}, got 0x${hex(element.tag)}`)
  return element
}

/**
 * Walks the children of a SEQUENCE (or SET / context tag) one by one, with OPTIONAL and DEFAULT fields
 * handled by `optional`.
 */
export class DerCursor {
  readonly #items: DerElement[]
  readonly #errorCode: VerificationErrorCode
  #index = 0

  constructor(element: DerElement, tag?: number, what = 'structure') {
    if (tag !== undefined) expectTag(element, tag, what)
    this.#items = derChildren(element)
    this.#errorCode = element.errorCode
  }

  get done(): boolean {
    return this.#index >= this.#items.length
  }

  /** The next element; fails if there is none or (when given) its tag differs. */
  next(tag?: number, what = 'field'): DerElement {
    const item = this.#items[this.#index]
    if (item === undefined) return derFail(this.#errorCode, `${what}: missing`)
    if (tag !== undefined) expectTag(item, tag, what)
    this.#index += 1
    return item
  }

  /** The next element if it has this tag, else undefined (nothing consumed). */
  optional(tag: number): DerElement | undefined {
    const item = this.#items[this.#index]
    if (item === undefined || item.tag !== tag) return undefined
    this.#index += 1
    return item
  }

  /** Fails if elements are left. */
  end(what = 'structure'): void {
    if (!this.done)
      derFail(this.#errorCode, `${what}: ${this.#items.length - this.#index} unexpected trailing elements`)
  }
}

/** The single element inside an EXPLICIT context tag `[n]`. */
export function derExplicit(element: DerElement, n: number): DerElement {
  expectTag(element, 0xa0 | n, `[${n}] EXPLICIT`)
  const children = derChildren(element)
  if (children.length !== 1) derFail(element.errorCode, `[${n}] EXPLICIT must hold exactly one element`)
  return children[0] as DerElement
}

export function derBoolean(element: DerElement): boolean {
  expectTag(element, DerTag.boolean, 'BOOLEAN')
  if (element.content.length !== 1) derFail(element.errorCode, 'BOOLEAN must be one octet')
  const value = element.content[0]
  if (value === 0x00) return false
  if (value === 0xff) return true
  return derFail(element.errorCode, 'BOOLEAN must be 0x00 or 0xff in DER')
}

function checkIntegerContent(element: DerElement): Uint8Array {
  const content = element.content
  if (content.length === 0) derFail(element.errorCode, 'empty INTEGER')
  const [a = 0, b = 0] = content
  if (content.length > 1 && ((a === 0x00 && b < 0x80) || (a === 0xff && b >= 0x80))) {
    derFail(element.errorCode, 'INTEGER is not minimally encoded')
  }
  return content
}

/** An INTEGER (tag 0x02 unless `tag` says otherwise, e.g. an IMPLICIT context tag) as a bigint. */
export function derInteger(element: DerElement, tag: number = DerTag.integer): bigint {
  expectTag(element, tag, 'INTEGER')
  const content = checkIntegerContent(element)
  let value = 0n
  for (const byte of content) value = (value << 8n) | BigInt(byte)
  if (((content[0] as number) & 0x80) !== 0) value -= 1n << BigInt(content.length * 8)
  return value
}

/** A small INTEGER as a number (fails beyond 2^53). */
export function derSmallInteger(element: DerElement, tag: number = DerTag.integer): number {
  const value = derInteger(element, tag)
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    derFail(element.errorCode, 'INTEGER too large')
  }
  return Number(value)
}

/**
 * The INTEGER's value octets as they are (two's complement, minimal). For serial numbers, compare
 * these bytes; `unsigned: true` drops the 0x00 sign octet and fails on negative values.
 */
export function derIntegerBytes(element: DerElement, options: { unsigned?: boolean; tag?: number } = {}): Uint8Array {
  expectTag(element, options.tag ?? DerTag.integer, 'INTEGER')
  const content = checkIntegerContent(element)
  if (options.unsigned !== true) return content
  if (((content[0] as number) & 0x80) !== 0) derFail(element.errorCode, 'negative INTEGER where unsigned expected')
  return content[0] === 0 && content.length > 1 ? content.subarray(1) : content
}

export interface DerBitString {
  readonly unusedBits: number
  readonly bytes: Uint8Array
}

export function derBitString(element: DerElement): DerBitString {
  expectTag(element, DerTag.bitString, 'BIT STRING')
  const content = element.content
  if (content.length === 0) derFail(element.errorCode, 'empty BIT STRING')
  const unusedBits = content[0] as number
  if (unusedBits > 7) derFail(element.errorCode, 'BIT STRING unused bits > 7')
  if (content.length === 1 && unusedBits !== 0) derFail(element.errorCode, 'empty BIT STRING with unused bits')
  const last = content[content.length - 1] as number
  if (content.length > 1 && (last & ((1 << unusedBits) - 1)) !== 0) {
    derFail(element.errorCode, 'BIT STRING unused bits are not zero')
  }
  return { unusedBits, bytes: content.subarray(1) }
}

/** A BIT STRING that must hold whole octets (signatures, public keys). */
export function derBitStringBytes(element: DerElement): Uint8Array {
  const { unusedBits, bytes } = derBitString(element)
  if (unusedBits !== 0) derFail(element.errorCode, 'BIT STRING is not a whole number of octets')
  return bytes
}

/** Bit `n` (0 = the most significant bit of the first octet, as X.509 numbers named bits). */
export function bitIsSet(bits: DerBitString, n: number): boolean {
  const byte = bits.bytes[n >> 3]
  if (byte === undefined || n >= bits.bytes.length * 8 - bits.unusedBits) return false
  return (byte & (0x80 >> (n & 7))) !== 0
}

export function derOctetString(element: DerElement, tag: number = DerTag.octetString): Uint8Array {
  expectTag(element, tag, 'OCTET STRING')
  return element.content
}

export function derNull(element: DerElement): null {
  expectTag(element, DerTag.null, 'NULL')
  if (element.content.length !== 0) derFail(element.errorCode, 'NULL with content')
  return null
}

/** An OBJECT IDENTIFIER as a dotted string, e.g. `1.2.840.10045.4.3.2`. */
export function derOid(element: DerElement): string {
  expectTag(element, DerTag.objectIdentifier, 'OBJECT IDENTIFIER')
  const content = element.content
  if (content.length === 0) derFail(element.errorCode, 'empty OBJECT IDENTIFIER')
  const arcs: bigint[] = []
  let value = 0n
  let started = false
  for (let i = 0; i < content.length; i += 1) {
    const byte = content[i] as number
    if (!started && byte === 0x80) derFail(element.errorCode, 'OBJECT IDENTIFIER arc with a leading 0x80 octet')
    started = true
    value = (value << 7n) | BigInt(byte & 0x7f)
    if ((byte & 0x80) === 0) {
      arcs.push(value)
      value = 0n
      started = false
    }
  }
  if (started) derFail(element.errorCode, 'OBJECT IDENTIFIER ends inside an arc')
  const [first = 0n, ...rest] = arcs
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n]
  return [...head, ...rest].map(String).join('.')
}

/** The text of a UTF8String / PrintableString / IA5String / T61String (latin1) / BMPString. */
export function derString(element: DerElement): string {
  switch (element.tag) {
    case DerTag.utf8String:
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(element.content)
      } catch {
        return derFail(element.errorCode, 'UTF8String is not valid UTF-8')
      }
    case DerTag.printableString:
    case DerTag.ia5String:
    case DerTag.t61String:
      return bufferView(element.content).toString('latin1')
    case DerTag.bmpString: {
      if (element.content.length % 2 !== 0) derFail(element.errorCode, 'odd-length BMPString')
      return Buffer.from(element.content).swap16().toString('utf16le')
    }
    default:
      return derFail(element.errorCode, `tag 0x${hex(element.tag)} is not a string type`)
  }
}

/** Whether two byte ranges are equal (no copies). */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && bufferView(a).equals(b)
}

/** A Buffer over the same memory (Buffer.from(uint8array) would copy). */
export function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function hex(tag: number): string {
  return tag.toString(16).padStart(2, '0')
}
