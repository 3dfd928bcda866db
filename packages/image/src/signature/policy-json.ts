import { isRecord } from './strict-json.ts'
import { SignatureError } from './signature-error.ts'

/** Policy-file field helpers: every problem is an INVALID_POLICY error naming where it is. */
export function invalidPolicy(message: string): SignatureError {
  return new SignatureError('INVALID_POLICY', `invalid policy: ${message}`)
}

export function expectObject(v: unknown, where: string): Record<string, unknown> {
  if (!isRecord(v)) throw invalidPolicy(`${where} must be a JSON object`)
  return v
}

/** Refuses members outside `allowed` (containers/image: `Unknown key "…"`). */
export function expectOnlyKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) throw invalidPolicy(`${where}: Unknown key ${JSON.stringify(key)}`)
  }
}

export function optionalString(obj: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = obj[key]
  if (v === undefined) return undefined
  if (typeof v !== 'string') throw invalidPolicy(`${where}: ${key} must be a string`)
  return v
}

export function requiredString(obj: Record<string, unknown>, key: string, where: string): string {
  const v = optionalString(obj, key, where)
  if (v === undefined || v === '') throw invalidPolicy(`${where}: ${key} must be a non-empty string`)
  return v
}

export function optionalStringArray(obj: Record<string, unknown>, key: string, where: string): string[] | undefined {
  const v = obj[key]
  if (v === undefined) return undefined
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) {
    throw invalidPolicy(`${where}: ${key} must be an array of non-empty strings`)
  }
  if (v.length === 0) throw invalidPolicy(`${where}: ${key} must not be empty`)
  return v as string[]
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Standard base64 with padding, as Go's `[]byte` JSON fields are written. */
export function decodeBase64Field(v: string, where: string): Buffer {
  if (!BASE64.test(v)) throw invalidPolicy(`${where} is not valid base64`)
  return Buffer.from(v, 'base64')
}
