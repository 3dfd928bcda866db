import { KbsConfigError, type KbsConfigWarning } from './errors.ts'

export type ConfigTable = Readonly<Record<string, unknown>>

export function isTable(value: unknown): value is ConfigTable {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array'
  if (isTable(value)) return 'a table'
  if (value instanceof Date) return 'a date'
  if (typeof value === 'string') return `"${value}"`
  return String(value)
}

/** Deep copy with ordinary prototypes (TOML tables come with a null prototype). */
function toPlain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toPlain)
  if (!isTable(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) out[key] = toPlain(item)
  return out
}

interface ReaderContext {
  readonly file: string
  readonly warnings: KbsConfigWarning[]
}

/**
 * Reads one table of the config file. Every key read is marked; `finish()` rejects the rest, so
 * an unknown key is never silently ignored. Errors and warnings name the full key path and file.
 */
export class ConfigReader {
  readonly path: string
  readonly table: ConfigTable
  private readonly context: ReaderContext
  private readonly used = new Set<string>()

  constructor(table: ConfigTable, path: string, context: ReaderContext) {
    this.table = table
    this.path = path
    this.context = context
  }

  static root(table: ConfigTable, file: string, warnings: KbsConfigWarning[]): ConfigReader {
    return new ConfigReader(table, '', { file, warnings })
  }

  /** A reader of another table at the same path (e.g. two merged spellings of one table). */
  withTable(table: ConfigTable): ConfigReader {
    return new ConfigReader(table, this.path, this.context)
  }

  get file(): string {
    return this.context.file
  }

  keyPath(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`
  }

  // A null (JSON `null`, YAML `~`) counts as absent, as upstream's optional fields take it.
  has(key: string): boolean {
    return this.table[key] !== undefined && this.table[key] !== null
  }

  error(key: string | undefined, message: string): KbsConfigError {
    const where = key === undefined ? this.path : this.keyPath(key)
    const prefix = where === '' ? this.file : `${this.file}: ${where}`
    return new KbsConfigError('CONFIG_INVALID', `${prefix}: ${message}`)
  }

  warn(key: string, message: string): void {
    const path = this.keyPath(key)
    this.context.warnings.push({ key: path, file: this.file, message: `${this.file}: ${path}: ${message}` })
  }

  /** Marks a key read and returns its raw value. */
  raw(key: string): unknown {
    this.used.add(key)
    const value = this.table[key]
    return value === null ? undefined : value
  }

  /** Accepts a deprecated key with a warning and returns its raw value. */
  deprecated(key: string, message: string): unknown {
    const value = this.raw(key)
    if (value !== undefined) this.warn(key, `deprecated: ${message}`)
    return value
  }

  private wrong(key: string, expected: string, value: unknown): KbsConfigError {
    return this.error(key, `expected ${expected}, got ${describe(value)}`)
  }

  string(key: string): string | undefined {
    const value = this.raw(key)
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw this.wrong(key, 'a string', value)
    return value
  }

  /** Like `string`, but an empty string counts as absent (upstream's `Option<String>` from "" ). */
  nonEmptyString(key: string): string | undefined {
    const value = this.string(key)
    return value === '' ? undefined : value
  }

  boolean(key: string): boolean | undefined {
    const value = this.raw(key)
    if (value === undefined) return undefined
    if (typeof value !== 'boolean') throw this.wrong(key, 'true or false', value)
    return value
  }

  integer(key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const value = this.raw(key)
    if (value === undefined) return undefined
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw this.wrong(key, 'an integer', value)
    }
    if (value < min || value > max) {
      throw this.error(key, `expected an integer from ${min} to ${max}, got ${value}`)
    }
    return value
  }

  stringArray(key: string): string[] | undefined {
    const value = this.raw(key)
    if (value === undefined) return undefined
    if (!Array.isArray(value)) throw this.wrong(key, 'an array of strings', value)
    return value.map((item, index) => {
      if (typeof item !== 'string') {
        throw this.error(`${key}[${index}]`, `expected a string, got ${describe(item)}`)
      }
      return item
    })
  }

  /** A string that must be one of `choices` (keys: accepted spellings, values: model values). */
  choice<T>(key: string, choices: ReadonlyMap<string, T>): T | undefined {
    const value = this.raw(key)
    if (value === undefined) return undefined
    const found = typeof value === 'string' ? choices.get(value) : undefined
    if (found === undefined) {
      const names = [...choices.keys()].map((name) => `"${name}"`).join(', ')
      throw this.wrong(key, `one of ${names}`, value)
    }
    return found
  }

  subTable(key: string): ConfigReader | undefined {
    const value = this.raw(key)
    if (value === undefined) return undefined
    if (!isTable(value)) throw this.wrong(key, 'a table', value)
    return new ConfigReader(value, this.keyPath(key), this.context)
  }

  tableArray(key: string): ConfigReader[] | undefined {
    const value = this.raw(key)
    if (value === undefined) return undefined
    if (!Array.isArray(value)) throw this.wrong(key, 'an array of tables', value)
    return value.map((item, index) => {
      const itemKey = `${key}[${index}]`
      if (!isTable(item)) throw this.error(itemKey, `expected a table, got ${describe(item)}`)
      return new ConfigReader(item, this.keyPath(itemKey), this.context)
    })
  }

  /** The remaining keys, unvalidated, marked read (for pass-through option bags). */
  rest(): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(this.table)) {
      if (!this.used.has(key) && value !== undefined && value !== null) out[key] = toPlain(value)
      this.used.add(key)
    }
    return out
  }

  /** Rejects every key that was not read. */
  finish(): void {
    const known = [...this.used].filter((key) => !key.includes('['))
    for (const key of Object.keys(this.table)) {
      if (this.used.has(key)) continue
      const expected = known.length === 0 ? 'no keys here' : `one of: ${known.sort().join(', ')}`
      throw this.error(key, `unknown key (expected ${expected})`)
    }
  }
}

/** For building a readonly model object field by field (optional fields stay absent). */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] }
