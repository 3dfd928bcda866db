import { StorageError } from './errors.ts'

/** Longest namespace, key or prefix, in characters (all allowed characters are ASCII). */
export const MAX_NAME_LENGTH = 256

const ALLOWED = /^[A-Za-z0-9._/-]*$/

function describe(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text
  return JSON.stringify(shown)
}

function syntaxProblem(text: string): string | undefined {
  if (text.length === 0) return 'is empty'
  if (text.length > MAX_NAME_LENGTH) return `is longer than ${MAX_NAME_LENGTH} characters`
  if (!ALLOWED.test(text)) return 'may only contain A-Z a-z 0-9 . _ / -'
  if (text.startsWith('/')) return 'may not start with "/"'
  if (text.startsWith('.')) return 'may not start with "."'
  for (const segment of text.split('/')) {
    if (segment === '') return 'may not contain an empty segment ("//" or a trailing "/")'
    if (segment === '.' || segment === '..') return `may not contain a "${segment}" segment`
  }
  return undefined
}

/**
 * Checks a key: `[A-Za-z0-9._/-]`, 1–256 characters, not starting with `/` or `.`, `/`-separated
 * segments neither empty nor `.`/`..`. Throws `StorageError('INVALID_KEY')` naming the key.
 */
export function checkKey(namespace: string, key: string): void {
  const problem = syntaxProblem(key)
  if (problem !== undefined) {
    throw new StorageError(
      'INVALID_KEY',
      `invalid key ${describe(key)} in namespace ${describe(namespace)}: ${problem}`,
    )
  }
}

/** Checks a namespace with the same rules as a key. */
export function checkNamespace(namespace: string): void {
  const problem = syntaxProblem(namespace)
  if (problem !== undefined)
    throw new StorageError('INVALID_KEY', `invalid namespace ${describe(namespace)}: ${problem}`)
}

/**
 * Checks a list prefix: any leading part of a valid key, so it may be empty or end with `/`, but
 * uses only the key alphabet and is at most 256 characters.
 */
export function checkPrefix(namespace: string, prefix: string): void {
  if (prefix.length > MAX_NAME_LENGTH || !ALLOWED.test(prefix)) {
    throw new StorageError(
      'INVALID_KEY',
      `invalid list prefix ${describe(prefix)} in namespace ${describe(namespace)}: ` +
        `may only contain A-Z a-z 0-9 . _ / - and be at most ${MAX_NAME_LENGTH} characters`,
    )
  }
}

/** Throws `StorageError('INVALID_VALUE')` unless `value` is a Uint8Array (Buffer included). */
export function checkValue(namespace: string, key: string, value: unknown): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new StorageError(
      'INVALID_VALUE',
      `value for key ${describe(key)} in namespace ${describe(namespace)} must be a Uint8Array`,
    )
  }
}
