import { createHash } from 'node:crypto'
import { parse, TomlError } from 'smol-toml'
import { ProtocolError } from '../errors.ts'

export const INIT_DATA_VERSION = '0.1.0'

/** Lowercase only: kbs-types and kata refuse the IANA spellings (`sha-256`). */
export const INIT_DATA_ALGORITHMS = ['sha256', 'sha384', 'sha512'] as const
export type InitDataAlgorithm = (typeof INIT_DATA_ALGORITHMS)[number]

/** The CoCo init-data TOML: `version`, `algorithm` and a `[data]` table of file name → text. */
export interface InitDataDocument {
  version: string
  algorithm: InitDataAlgorithm
  data: Record<string, string>
}

function isAlgorithm(name: string): name is InitDataAlgorithm {
  return (INIT_DATA_ALGORITHMS as readonly string[]).includes(name)
}

/**
 * Parses and validates an init-data document. Unknown top-level keys are ignored (serde default).
 * Errors: invalid TOML, missing/mistyped fields, non-string `data` values → `MALFORMED`;
 * `version` other than 0.1.0 → `UNSUPPORTED_VERSION`; an algorithm outside sha256/384/512
 * (including upstream's `sm3`) → `UNSUPPORTED_ALGORITHM`.
 */
export function parseInitData(text: string): InitDataDocument {
  let table: Record<string, unknown>
  try {
    table = parse(text, { integersAsBigInt: 'asNeeded' })
  } catch (e) {
    const reason = e instanceof TomlError ? (e.message.split('\n')[0] ?? '') : String(e)
    throw new ProtocolError('MALFORMED', `init-data: invalid TOML: ${reason}`, { cause: e })
  }
  const version = table['version']
  if (typeof version !== 'string') throw new ProtocolError('MALFORMED', 'init-data.version: expected a string')
  if (version !== INIT_DATA_VERSION) {
    throw new ProtocolError(
      'UNSUPPORTED_VERSION',
      `init-data.version: ${JSON.stringify(version)} is not ${INIT_DATA_VERSION}`,
    )
  }
  const algorithm = table['algorithm']
  if (typeof algorithm !== 'string') throw new ProtocolError('MALFORMED', 'init-data.algorithm: expected a string')
  if (!isAlgorithm(algorithm)) {
    throw new ProtocolError(
      'UNSUPPORTED_ALGORITHM',
      `init-data.algorithm: ${JSON.stringify(algorithm)} is not one of ${INIT_DATA_ALGORITHMS.join(', ')}`,
    )
  }
  const rawData = table['data']
  if (typeof rawData !== 'object' || rawData === null || Array.isArray(rawData) || rawData instanceof Date) {
    throw new ProtocolError('MALFORMED', 'init-data.data: expected a table')
  }
  const entries = Object.entries(rawData)
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      throw new ProtocolError('MALFORMED', `init-data.data.${JSON.stringify(key)}: expected a string`)
    }
  }
  const data = Object.fromEntries(entries) as Record<string, string>
  return { version, algorithm, data }
}

/** `algorithm(UTF-8 bytes of text)`: no canonicalisation, every byte of the document counts. */
export function initDataDigest(text: string | Uint8Array, algorithm: InitDataAlgorithm): Uint8Array {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
  return createHash(algorithm).update(bytes).digest()
}

/**
 * Fits a digest to a TEE field: zero-padded or truncated to `size` bytes (SNP HOSTDATA 32,
 * TDX MRCONFIGID 48, CCA personalization value 64). Returns a new array.
 */
export function regularize(digest: Uint8Array, size: number): Uint8Array {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new ProtocolError('MALFORMED', `regularize: size ${String(size)} is not a byte count`)
  }
  const out = new Uint8Array(size)
  out.set(digest.subarray(0, size))
  return out
}
