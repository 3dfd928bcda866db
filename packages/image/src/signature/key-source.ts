import { readFile } from 'node:fs/promises'
import type { KeyReference } from './policy-types.ts'
import { SignatureError } from './signature-error.ts'

/** Fetches a `kbs:///repo/type/tag` resource (the CDH's get-resource); injected by the caller. */
export type FetchResource = (uri: string) => Promise<Uint8Array>

export interface KeySourceOptions {
  /** Resolves `kbs:///` key paths; without it such keys fail with INVALID_KEY. */
  readonly fetchResource?: FetchResource
  /** Reads key files (default: node:fs readFile). */
  readonly readFile?: (path: string) => Promise<Uint8Array>
}

const KBS_URI = /^kbs:\/\/[^/]*\/[^/]+\/[^/]+\/[^/]+$/
/** Key files are small; refuse anything bigger before using it. */
const KEY_SIZE_LIMIT = 1024 * 1024

/** The bytes of one policy key: inline data, a `kbs:///` resource, or a file. */
export async function loadKeyBytes(ref: KeyReference, options: KeySourceOptions, what: string): Promise<Buffer> {
  if ('data' in ref) return ref.data
  let bytes: Uint8Array
  if (ref.path.startsWith('kbs:')) {
    if (!KBS_URI.test(ref.path))
      throw new SignatureError(
        'INVALID_KEY',
        `${what}: malformed KBS key URI ${JSON.stringify(ref.path)} (kbs:///repo/type/tag)`,
      )
    if (options.fetchResource === undefined) {
      throw new SignatureError(
        'INVALID_KEY',
        `${what}: ${ref.path} needs a KBS resource fetcher (CDH), none configured`,
      )
    }
    try {
      bytes = await options.fetchResource(ref.path)
    } catch (e) {
      throw new SignatureError('INVALID_KEY', `${what}: fetching ${ref.path}: ${(e as Error).message}`, { cause: e })
    }
  } else {
    try {
      bytes = await (options.readFile ?? readFile)(ref.path)
    } catch (e) {
      throw new SignatureError('INVALID_KEY', `${what}: reading ${ref.path}: ${(e as Error).message}`, { cause: e })
    }
  }
  if (bytes.length > KEY_SIZE_LIMIT)
    throw new SignatureError('INVALID_KEY', `${what}: ${ref.path} is larger than ${KEY_SIZE_LIMIT} bytes`)
  return Buffer.from(bytes)
}
