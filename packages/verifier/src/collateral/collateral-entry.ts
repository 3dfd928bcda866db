import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { isJsonObject } from '@carapace/protocol'
import { CollateralError } from './collateral-error.ts'
import { requestFromJson, requestToJson } from './collateral-request-json.ts'
import { collateralKey, type CollateralItem, type CollateralRequest } from './collateral-source.ts'

/**
 * One stored object (cache and bundle alike): `<dir>/<collateralKey>.json` holding
 * `{"format":"carapace-collateral-entry/1","request":{…},"body":"<base64>","issuerChain"?,"nextUpdate"?,"storedAt"}`.
 * The request is kept so a folder can be listed and exported without guessing.
 */
export interface StoredEntry {
  readonly request: CollateralRequest
  readonly item: CollateralItem
  readonly storedAt: Date
}

const FORMAT = 'carapace-collateral-entry/1'

export function entryPath(dir: string, request: CollateralRequest): string {
  return `${join(dir, ...collateralKey(request).split('/'))}.json`
}

function date(value: unknown, field: string, path: string): Date {
  const d = typeof value === 'string' ? new Date(value) : undefined
  if (d === undefined || Number.isNaN(d.getTime()))
    throw new CollateralError('MALFORMED', `${path}: ${field} is not a date`)
  return d
}

/** Parses an entry file's text; its request must map to `expectedKey` when given (no entry under another's name). */
export function parseEntry(text: string, path: string, expectedKey?: string): StoredEntry {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (cause) {
    throw new CollateralError('MALFORMED', `${path} is not JSON`, { cause })
  }
  if (!isJsonObject(parsed) || parsed['format'] !== FORMAT)
    throw new CollateralError('MALFORMED', `${path}: not a ${FORMAT}`)
  const request = requestFromJson(parsed['request'])
  if (expectedKey !== undefined && collateralKey(request) !== expectedKey) {
    throw new CollateralError('MALFORMED', `${path}: holds ${collateralKey(request)}, not ${expectedKey}`)
  }
  const body = parsed['body']
  if (typeof body !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(body)) {
    throw new CollateralError('MALFORMED', `${path}: body is not base64`)
  }
  const chain = parsed['issuerChain']
  if (chain !== undefined && typeof chain !== 'string') throw new CollateralError('MALFORMED', `${path}: issuerChain`)
  const item: CollateralItem = {
    body: new Uint8Array(Buffer.from(body, 'base64')),
    ...(chain === undefined ? {} : { issuerChain: chain }),
    ...(parsed['nextUpdate'] === undefined ? {} : { nextUpdate: date(parsed['nextUpdate'], 'nextUpdate', path) }),
  }
  return { request, item, storedAt: date(parsed['storedAt'], 'storedAt', path) }
}

/** The entry of a request in `dir`, or undefined when there is none. */
export async function readEntry(dir: string, request: CollateralRequest): Promise<StoredEntry | undefined> {
  const path = entryPath(dir, request)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new CollateralError('IO_ERROR', `cannot read ${path}`, { cause })
  }
  return parseEntry(text, path, collateralKey(request))
}

/** Writes an entry atomically: a temporary file in the same folder, then rename. */
export async function writeEntry(dir: string, entry: StoredEntry): Promise<void> {
  const path = entryPath(dir, entry.request)
  const { item } = entry
  const text = JSON.stringify({
    format: FORMAT,
    request: requestToJson(entry.request),
    body: Buffer.from(item.body).toString('base64'),
    ...(item.issuerChain === undefined ? {} : { issuerChain: item.issuerChain }),
    ...(item.nextUpdate === undefined ? {} : { nextUpdate: item.nextUpdate.toISOString() }),
    storedAt: entry.storedAt.toISOString(),
  })
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(temp, `${text}\n`, { mode: 0o644 })
    await rename(temp, path)
  } catch (cause) {
    await rm(temp, { force: true })
    throw new CollateralError('IO_ERROR', `cannot write ${path}`, { cause })
  }
}

/** Every entry file under `dir` (relative paths with `/`), index.json and temporary files excluded. */
export async function listEntryFiles(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir, { recursive: true })
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new CollateralError('IO_ERROR', `cannot list ${dir}`, { cause })
  }
  return names
    .map((n) => relative(dir, join(dir, n)).split(sep).join('/'))
    .filter((n) => n.endsWith('.json') && n !== 'index.json')
    .sort()
}
