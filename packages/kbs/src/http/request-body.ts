import { KbsError, type KbsErrorCode } from './errors.ts'

/** Parses a JSON body; malformed JSON becomes the route's upstream error. */
export function parseJsonBody(bytes: ArrayBuffer, code: KbsErrorCode, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown
  } catch (cause) {
    throw new KbsError(code, `${what}: request body is not valid JSON`, { cause })
  }
}

/** Segments of the path after `prefix`, percent-decoded; undefined when one cannot be decoded. */
export function pathSegments(path: string, prefix: string): string[] | undefined {
  const rest = path.slice(prefix.length)
  if (rest === '') return []
  try {
    return rest.split('/').map((segment) => decodeURIComponent(segment))
  } catch {
    return undefined
  }
}
