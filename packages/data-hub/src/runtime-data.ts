import { CdhError } from './cdh-error.ts'

/**
 * The report data for `/aa/evidence`, as api-server-rest decodes it: without `encoding` the UTF-8
 * bytes of `runtime_data` as given (not hashed); `encoding=base64` is URL-safe base64 without
 * padding, decoded strictly; any other encoding is refused.
 */
export function decodeRuntimeData(runtimeData: string, encoding: string | undefined): Uint8Array {
  if (encoding === undefined) return new Uint8Array(Buffer.from(runtimeData, 'utf8'))
  if (encoding !== 'base64') {
    throw new CdhError('INVALID_RUNTIME_DATA', `unsupported runtime_data encoding: ${JSON.stringify(encoding)}`)
  }
  const bytes = Buffer.from(runtimeData, 'base64url')
  // Node's decoder skips bad characters and padding; re-encoding tells a canonical input apart.
  if (!/^[A-Za-z0-9_-]*$/.test(runtimeData) || bytes.toString('base64url') !== runtimeData) {
    throw new CdhError('INVALID_RUNTIME_DATA', 'invalid base64 URL-safe runtime_data')
  }
  return new Uint8Array(bytes)
}
