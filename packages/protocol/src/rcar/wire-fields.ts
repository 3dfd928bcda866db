import { ProtocolError } from '../errors.ts'
import { isJsonObject, type JsonObject, type JsonValue } from '../jcs/json-value.ts'

/**
 * Readers for decoded JSON messages. Each names the field it failed on (`Attestation.runtime-data.nonce`)
 * in a `ProtocolError('MALFORMED')`. Unknown members are ignored, as serde does by default.
 */
export function malformed(field: string, problem: string): ProtocolError {
  return new ProtocolError('MALFORMED', `${field}: ${problem}`)
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}

export function expectObject(value: unknown, field: string): JsonObject {
  if (!isJsonObject(value)) throw malformed(field, `expected an object, got ${describe(value)}`)
  return value
}

export function expectString(value: unknown, field: string): string {
  if (typeof value !== 'string') throw malformed(field, `expected a string, got ${describe(value)}`)
  return value
}

export function expectInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw malformed(field, `expected an integer, got ${describe(value)}`)
  }
  return value
}

/** Any JSON value, but present: serde's `Value` fields are required (`null` is fine). */
export function expectJson(value: unknown, field: string): JsonValue {
  if (value === undefined) throw malformed(field, 'missing')
  if (!isJsonValue(value)) throw malformed(field, 'not a JSON value')
  return value
}

function isJsonValue(value: unknown): value is JsonValue {
  switch (typeof value) {
    case 'boolean':
    case 'string':
      return true
    case 'number':
      return Number.isFinite(value)
    case 'object':
      if (value === null) return true
      if (Array.isArray(value)) return value.every(isJsonValue)
      return isJsonObject(value) && Object.values(value).every(isJsonValue)
    default:
      return false
  }
}
