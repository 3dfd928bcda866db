import { VerificationError } from '../verifier.ts'

/** Typed reads of PCS collateral JSON fields; any mismatch is `COLLATERAL_INVALID` naming the field. */
export class CollateralFields {
  readonly #object: Record<string, unknown>
  readonly #what: string

  constructor(value: unknown, what: string) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new VerificationError('COLLATERAL_INVALID', `${what} is not an object`)
    }
    this.#object = value as Record<string, unknown>
    this.#what = what
  }

  fail(field: string, detail: string): VerificationError {
    return new VerificationError('COLLATERAL_INVALID', `${this.#what}.${field} ${detail}`)
  }

  has(field: string): boolean {
    return this.#object[field] !== undefined
  }

  raw(field: string): unknown {
    return this.#object[field]
  }

  uint(field: string): number {
    const v = this.#object[field]
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw this.fail(field, 'is not an unsigned integer')
    return v
  }

  string(field: string): string {
    const v = this.#object[field]
    if (typeof v !== 'string') throw this.fail(field, 'is not a string')
    return v
  }

  /** Lower-case hex of exactly `bytes` bytes. */
  hex(field: string, bytes: number): string {
    const v = this.string(field)
    if (v.length !== bytes * 2 || !/^[0-9a-fA-F]*$/.test(v))
      throw this.fail(field, `is not ${String(bytes)} bytes of hex`)
    return v.toLowerCase()
  }

  /** An RFC 3339 UTC time as PCS writes it (`2025-06-19T10:16:03Z`). */
  date(field: string): Date {
    const v = this.string(field)
    const d = new Date(v)
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(v) || Number.isNaN(d.getTime())) {
      throw this.fail(field, 'is not an RFC 3339 UTC time')
    }
    return d
  }

  array(field: string): readonly unknown[] {
    const v = this.#object[field]
    if (!Array.isArray(v)) throw this.fail(field, 'is not an array')
    return v as unknown[]
  }

  object(field: string): CollateralFields {
    return new CollateralFields(this.#object[field], `${this.#what}.${field}`)
  }

  stringArray(field: string): readonly string[] {
    if (!this.has(field)) return []
    const v = this.array(field)
    if (!v.every((s) => typeof s === 'string')) throw this.fail(field, 'is not an array of strings')
    return v
  }
}
