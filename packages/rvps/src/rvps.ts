import type { Storage } from '@carapace/storage'
import { RvpsError } from './errors.ts'
import { addMonths, formatExpiration, isExpired, MONTHS_BEFORE_EXPIRATION, parseExpiration } from './expiration.ts'
import { extractReferenceValues } from './extract.ts'
import type { JsonValue } from './json-value.ts'
import { nameOfStorageKey, storageKeyOfName } from './reference-value-name.ts'
import { decodeRecord, encodeRecord, REFERENCE_VALUE_VERSION, type ReferenceValueRecord } from './reference-value.ts'
import { parseRegisterMessage } from './register-message.ts'

/** Storage namespace of reference values (same as upstream). */
export const REFERENCE_VALUE_NAMESPACE = 'reference_value'

/** A stored record and whether it has expired at the time it was read. */
export interface ReferenceValueEntry extends ReferenceValueRecord {
  readonly expired: boolean
}

/** Why `lookup` found no usable value, or the value. */
export type ReferenceValueLookup =
  | { readonly status: 'found'; readonly value: JsonValue; readonly expiration: string }
  | { readonly status: 'absent' }
  | { readonly status: 'expired'; readonly expiration: string }

export interface RvpsOptions {
  readonly storage: Storage
  /** The clock (injected for tests and for replaying decisions). */
  readonly now?: () => Date
  /** Told whenever `query`/`lookup` refuses an expired value, so the caller can explain a mismatch. */
  readonly onExpired?: (record: ReferenceValueRecord) => void
}

export interface RegisterOptions {
  /** Overrides upstream's default (now + 12 months) for every value of the message. */
  readonly expiration?: Date
}

export interface Rvps {
  /** Extracts the message's reference values and stores them (overwriting same-named ones). */
  register(message: unknown, options?: RegisterOptions): Promise<ReferenceValueRecord[]>
  /**
   * The value for `query_reference_value`: null when absent or expired (expiry is enforced). A
   * name that `register` would refuse (see reference-value-name.ts) is simply absent here, as
   * upstream answers for any string.
   */
  query(name: string): Promise<JsonValue | null>
  /** Like `query`, but says why nothing was found. */
  lookup(name: string): Promise<ReferenceValueLookup>
  /** The full stored record, expired or not; null when absent. */
  get(name: string): Promise<ReferenceValueEntry | null>
  /** Every stored record, sorted by storage key, each flagged `expired`. */
  list(): Promise<ReferenceValueEntry[]>
  /** Removes a value; false when it was absent. */
  delete(name: string): Promise<boolean>
}

async function onStorage<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (cause) {
    if (cause instanceof RvpsError) throw cause
    throw new RvpsError('STORAGE', `reference value storage failed to ${action}`, { cause })
  }
}

/** The reference value provider service over a `Storage`. */
export function createRvps(options: RvpsOptions): Rvps {
  const { storage } = options
  const now = options.now ?? (() => new Date())

  function entryOf(record: ReferenceValueRecord, at: Date): ReferenceValueEntry {
    // decodeRecord has checked the format, so parseExpiration cannot fail here.
    const expiration = parseExpiration(record.expiration) ?? new Date(Number.NaN)
    return { ...record, expired: isExpired(expiration, at) }
  }

  /** The storage key of a name; undefined for a name that can never have been registered. */
  function keyOf(name: string): string | undefined {
    try {
      return storageKeyOfName(name)
    } catch {
      return undefined
    }
  }

  async function read(name: string): Promise<ReferenceValueRecord | null> {
    const key = keyOf(name)
    if (key === undefined) return null
    const bytes = await onStorage('read', () => storage.get(REFERENCE_VALUE_NAMESPACE, key))
    if (bytes === undefined) return null
    const record = decodeRecord(key, bytes)
    if (record.name !== name) {
      throw new RvpsError('STORAGE', `stored reference value ${JSON.stringify(key)} is corrupt: it names another value`)
    }
    return record
  }

  async function lookup(name: string): Promise<ReferenceValueLookup> {
    const record = await read(name)
    if (record === null) return { status: 'absent' }
    if (entryOf(record, now()).expired) {
      options.onExpired?.(record)
      return { status: 'expired', expiration: record.expiration }
    }
    return { status: 'found', value: record.value, expiration: record.expiration }
  }

  return {
    async register(message, registerOptions) {
      const parsed = parseRegisterMessage(message)
      const extracted = extractReferenceValues(parsed)
      const expiration = formatExpiration(registerOptions?.expiration ?? addMonths(now(), MONTHS_BEFORE_EXPIRATION))
      // Check every name before writing any, so a bad one does not leave half a message stored.
      const writes = extracted.map(({ name, value }) => ({
        key: storageKeyOfName(name),
        record: { version: REFERENCE_VALUE_VERSION, name, expiration, value },
      }))
      for (const { key, record } of writes) {
        await onStorage('write', () => storage.put(REFERENCE_VALUE_NAMESPACE, key, encodeRecord(record)))
      }
      return writes.map(({ record }) => record)
    },

    async query(name) {
      const result = await lookup(name)
      return result.status === 'found' ? result.value : null
    },

    lookup,

    async get(name) {
      const record = await read(name)
      return record === null ? null : entryOf(record, now())
    },

    async list() {
      const keys = await onStorage('list', () => storage.list(REFERENCE_VALUE_NAMESPACE))
      const at = now()
      const entries: ReferenceValueEntry[] = []
      for (const key of keys) {
        const name = nameOfStorageKey(key)
        if (name === undefined) {
          throw new RvpsError('STORAGE', `storage key ${JSON.stringify(key)} is not a reference value name`)
        }
        const bytes = await onStorage('read', () => storage.get(REFERENCE_VALUE_NAMESPACE, key))
        // Deleted between list and get: not an error.
        if (bytes === undefined) continue
        const record = decodeRecord(key, bytes)
        if (record.name !== name) {
          throw new RvpsError(
            'STORAGE',
            `stored reference value ${JSON.stringify(key)} is corrupt: it names another value`,
          )
        }
        entries.push(entryOf(record, at))
      }
      return entries
    },

    async delete(name) {
      const key = keyOf(name)
      if (key === undefined) return false
      return onStorage('delete', () => storage.delete(REFERENCE_VALUE_NAMESPACE, key))
    },
  }
}
