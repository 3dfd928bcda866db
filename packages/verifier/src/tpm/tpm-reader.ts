import { VerificationError } from '../verifier.ts'

/**
 * Reads big-endian TPM 2.0 wire structures (TPM 2.0 Part 2 marshalling). Every read past the end
 * is `EVIDENCE_MALFORMED`, so a truncated structure can never be half-parsed.
 */
export class TpmReader {
  readonly #bytes: Uint8Array
  readonly #what: string
  #offset = 0

  constructor(bytes: Uint8Array, what: string) {
    this.#bytes = bytes
    this.#what = what
  }

  get offset(): number {
    return this.#offset
  }

  get remaining(): number {
    return this.#bytes.length - this.#offset
  }

  bytes(length: number, field: string): Uint8Array {
    const at = this.#take(length, field)
    return this.#bytes.slice(at, at + length)
  }

  u8(field: string): number {
    return this.#bytes[this.#take(1, field)] ?? 0
  }

  u16(field: string): number {
    return this.#u16At(this.#take(2, field))
  }

  u32(field: string): number {
    const at = this.#take(4, field)
    return this.#u16At(at) * 0x10000 + this.#u16At(at + 2)
  }

  u64(field: string): bigint {
    const at = this.#take(8, field)
    const high = this.#u16At(at) * 0x10000 + this.#u16At(at + 2)
    return (BigInt(high) << 32n) | BigInt(this.#u16At(at + 4) * 0x10000 + this.#u16At(at + 6))
  }

  /** Claims `length` bytes and returns where they start; the integer reads index them directly, no copy. */
  #take(length: number, field: string): number {
    if (length > this.remaining) {
      throw new VerificationError(
        'EVIDENCE_MALFORMED',
        `${this.#what}: ${field} needs ${String(length)} bytes at offset ${String(this.#offset)}, ${String(this.remaining)} left`,
      )
    }
    const at = this.#offset
    this.#offset += length
    return at
  }

  #u16At(at: number): number {
    return ((this.#bytes[at] ?? 0) << 8) | (this.#bytes[at + 1] ?? 0)
  }

  /** A TPM2B: a 16-bit size, then that many bytes. */
  tpm2b(field: string): Uint8Array {
    return this.bytes(this.u16(`${field}.size`), field)
  }

  /** Structures are exact: trailing bytes mean the input is not what it claims to be. */
  end(): void {
    if (this.remaining !== 0) {
      throw new VerificationError(
        'EVIDENCE_MALFORMED',
        `${this.#what}: ${String(this.remaining)} unexpected trailing bytes`,
      )
    }
  }
}

/** Builds big-endian TPM 2.0 wire structures (for tests and the guest TPM attester). */
export class TpmWriter {
  readonly #parts: Buffer[] = []

  u8(value: number): this {
    this.#parts.push(Buffer.from([value & 0xff]))
    return this
  }

  u16(value: number): this {
    const b = Buffer.alloc(2)
    b.writeUInt16BE(value)
    this.#parts.push(b)
    return this
  }

  u32(value: number): this {
    const b = Buffer.alloc(4)
    b.writeUInt32BE(value)
    this.#parts.push(b)
    return this
  }

  u64(value: bigint): this {
    const b = Buffer.alloc(8)
    b.writeBigUInt64BE(value)
    this.#parts.push(b)
    return this
  }

  bytes(value: Uint8Array): this {
    this.#parts.push(Buffer.from(value))
    return this
  }

  tpm2b(value: Uint8Array): this {
    return this.u16(value.length).bytes(value)
  }

  finish(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.#parts))
  }
}
