import { RvpsError } from './errors.ts'
import { parseExpiration } from './expiration.ts'
import type { JsonValue } from './json-value.ts'

/** Version of the stored record format (upstream `REFERENCE_VALUE_VERSION`). */
export const REFERENCE_VALUE_VERSION = '0.1.0'

/** What an extractor produces: one named value. */
export interface ExtractedReferenceValue {
  readonly name: string
  readonly value: JsonValue
}

/**
 * The record kept in storage (namespace `reference_value`), in upstream's JSON layout and key
 * order: `{"version":"0.1.0","name":…,"expiration":"YYYY-MM-DDTHH:MM:SSZ","value":…}`.
 */
export interface ReferenceValueRecord {
  readonly version: string
  readonly name: string
  readonly expiration: string
  readonly value: JsonValue
}

export function encodeRecord(record: ReferenceValueRecord): Uint8Array {
  const { version, name, expiration, value } = record
  return new TextEncoder().encode(JSON.stringify({ version, name, expiration, value }))
}

function corrupt(key: string, why: string): RvpsError {
  return new RvpsError('STORAGE', `stored reference value ${JSON.stringify(key)} is corrupt: ${why}`)
}

/** Reads a stored record; `STORAGE` when the bytes are not one (an absent `version` reads as 0.1.0, as upstream). */
export function decodeRecord(key: string, bytes: Uint8Array): ReferenceValueRecord {
  let parsed: unknown
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown
  } catch {
    throw corrupt(key, 'not UTF-8 JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw corrupt(key, 'not an object')
  const fields = parsed as Record<string, unknown>
  const version = fields['version'] ?? REFERENCE_VALUE_VERSION
  const { name, expiration } = fields
  if (typeof version !== 'string') throw corrupt(key, '`version` is not a string')
  if (typeof name !== 'string') throw corrupt(key, '`name` is not a string')
  if (typeof expiration !== 'string' || parseExpiration(expiration) === undefined) {
    throw corrupt(key, '`expiration` is not YYYY-MM-DDTHH:MM:SSZ')
  }
  if (!('value' in fields)) throw corrupt(key, '`value` is missing')
  return { version, name, expiration, value: fields['value'] as JsonValue }
}
