import { RvpsError } from './errors.ts'

/**
 * Reference-value names are opaque strings upstream (any string is a key; `rvps:///ns/…[:tag]` is
 * only a recommendation), but `Storage` keys are limited to `[A-Za-z0-9._/-]`, 1–256 characters,
 * without `..` segments or a leading `/` or `.`. So a name is stored under:
 * - itself, when it is "plain": `/`-separated segments of `[A-Za-z0-9_-][A-Za-z0-9._-]*`, not
 *   starting with `-`, at most 256 characters (e.g. `snp_launch_measurement`,
 *   `NVIDIA_Corporation.GPU.measurement_12`);
 * - otherwise `-b64/` + base64url (no padding) of its UTF-8 bytes (e.g. `rvps:///a/b:v1`, names
 *   with spaces or colons). Plain names never start with `-`, so the two forms cannot collide.
 *   Such names may have at most 188 UTF-8 bytes (the key must fit 256 characters).
 * Accepted names are non-empty, well-formed Unicode, without control characters.
 */
const PLAIN_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/
const ENCODED_PREFIX = '-b64/'
const MAX_KEY_LENGTH = 256
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/
const LONE_SURROGATE = /\p{Cs}/u

/** Throws `INVALID_NAME` unless the name can be stored; returns its storage key. */
export function storageKeyOfName(name: string): string {
  if (name.length === 0) throw new RvpsError('INVALID_NAME', 'reference value name is empty')
  if (CONTROL_CHARACTER.test(name)) {
    throw new RvpsError('INVALID_NAME', `reference value name ${JSON.stringify(name)} contains a control character`)
  }
  if (LONE_SURROGATE.test(name)) {
    throw new RvpsError('INVALID_NAME', 'reference value name contains a lone surrogate')
  }
  if (PLAIN_NAME.test(name)) {
    if (name.length > MAX_KEY_LENGTH) {
      throw new RvpsError('INVALID_NAME', `reference value name is longer than ${MAX_KEY_LENGTH} characters`)
    }
    return name
  }
  const key = ENCODED_PREFIX + Buffer.from(name, 'utf8').toString('base64url')
  if (key.length > MAX_KEY_LENGTH) {
    throw new RvpsError('INVALID_NAME', 'reference value name is too long (at most 188 UTF-8 bytes unless plain)')
  }
  return key
}

/** The name a storage key stands for; undefined for a key no name maps to. */
export function nameOfStorageKey(key: string): string | undefined {
  if (!key.startsWith(ENCODED_PREFIX)) return PLAIN_NAME.test(key) ? key : undefined
  const name = Buffer.from(key.slice(ENCODED_PREFIX.length), 'base64url').toString('utf8')
  try {
    return storageKeyOfName(name) === key ? name : undefined
  } catch {
    return undefined
  }
}
