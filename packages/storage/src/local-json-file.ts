import { StorageError } from './errors.ts'

/**
 * One namespace file of upstream's `LocalJson` key-value storage: a JSON object mapping each key
 * to its value in URL-safe base64 *with* padding, or (newer upstream, entries written with a TTL)
 * to `{"value": <that base64>, "expires_at": <Unix ms>}`.
 */
export type LocalJsonEntry = string | { readonly value: string; readonly expires_at: number }

const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/

/** URL-safe base64 with padding, as upstream's `URL_SAFE` engine writes it. */
export function encodeValue(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64').replaceAll('+', '-').replaceAll('/', '_')
}

function malformed(file: string, detail: string): StorageError {
  return new StorageError('IO_ERROR', `LocalJson file ${file} is malformed: ${detail}`)
}

/** The bytes of an entry, or undefined when it has expired at `nowMs`. */
export function entryValue(file: string, key: string, entry: LocalJsonEntry, nowMs: number): Uint8Array | undefined {
  const text = typeof entry === 'string' ? entry : entry.value
  if (typeof entry !== 'string' && entry.expires_at <= nowMs) return undefined
  if (!BASE64URL.test(text) || text.length % 4 === 1) {
    throw malformed(file, `the value of ${JSON.stringify(key)} is not URL-safe base64`)
  }
  return new Uint8Array(Buffer.from(text, 'base64url'))
}

export function isExpired(entry: LocalJsonEntry, nowMs: number): boolean {
  return typeof entry !== 'string' && entry.expires_at <= nowMs
}

/** Parses a namespace file; anything but the shapes above is an IO_ERROR naming the file. */
export function parseLocalJson(file: string, bytes: Uint8Array): Map<string, LocalJsonEntry> {
  let document: unknown
  try {
    document = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch (cause) {
    throw new StorageError('IO_ERROR', `LocalJson file ${file} is not JSON`, { cause })
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw malformed(file, 'not a JSON object')
  }
  const entries = new Map<string, LocalJsonEntry>()
  for (const [key, value] of Object.entries(document)) {
    if (typeof value === 'string') {
      entries.set(key, value)
      continue
    }
    const record = value as { value?: unknown; expires_at?: unknown } | null
    if (
      typeof record !== 'object' ||
      record === null ||
      typeof record.value !== 'string' ||
      typeof record.expires_at !== 'number'
    ) {
      throw malformed(file, `the entry of ${JSON.stringify(key)} is neither a string nor {value, expires_at}`)
    }
    entries.set(key, { value: record.value, expires_at: record.expires_at })
  }
  return entries
}

/** The file text, keys sorted (upstream writes them in hash order; either reads back the same). */
export function serializeLocalJson(entries: ReadonlyMap<string, LocalJsonEntry>): string {
  const parts = [...entries.keys()].sort().map((key) => `${JSON.stringify(key)}:${JSON.stringify(entries.get(key))}`)
  return `{${parts.join(',')}}`
}
