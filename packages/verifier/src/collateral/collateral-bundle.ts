import { access, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { isJsonObject } from '@carapace/protocol'
import { CollateralError } from './collateral-error.ts'
import { listEntryFiles, parseEntry, writeEntry } from './collateral-entry.ts'
import { nextUpdateOf } from './collateral-expiry.ts'
import { checkCollateralMatches } from './collateral-match.ts'
import { requestFromJson, requestToJson } from './collateral-request-json.ts'
import { collateralKey, type CollateralItem, type CollateralRequest } from './collateral-source.ts'
import { readDirectoryItem } from './directory-collateral.ts'
import { directoryRequests } from './directory-requests.ts'
import { entryPath } from './collateral-entry.ts'

/**
 * The offline bundle (docs/collateral.md): a folder of entries laid out exactly as the cache
 * (`<key>.json`, collateral-entry.ts) plus `index.json`:
 * `{"format":"carapace-collateral-bundle/1","entries":[{"key":"…","request":{…}}]}`.
 * Copying it to an air-gapped site and importing it fills that site's cache.
 */
const FORMAT = 'carapace-collateral-bundle/1'

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

/** Writes `index.json` listing every entry under `dir` (after a fetch or an export). */
export async function writeBundleIndex(dir: string): Promise<string[]> {
  const entries = []
  for (const file of await listEntryFiles(dir)) {
    const path = join(dir, file)
    const entry = parseEntry(await readText(path), path)
    entries.push({ key: collateralKey(entry.request), request: requestToJson(entry.request) })
  }
  try {
    await writeFile(join(dir, 'index.json'), `${JSON.stringify({ format: FORMAT, entries }, null, 1)}\n`)
  } catch (cause) {
    throw new CollateralError('IO_ERROR', `cannot write ${join(dir, 'index.json')}`, { cause })
  }
  return entries.map((e) => e.key)
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (cause) {
    throw new CollateralError('IO_ERROR', `cannot read ${path}`, { cause })
  }
}

/** Copies every (valid) cache entry into a bundle folder with its index; returns the keys. */
export async function exportBundle(cacheDir: string, outDir: string): Promise<string[]> {
  for (const file of await listEntryFiles(cacheDir)) {
    const path = join(cacheDir, file)
    await writeEntry(outDir, parseEntry(await readText(path), path))
  }
  return writeBundleIndex(outDir)
}

async function bundleItems(src: string): Promise<{ request: CollateralRequest; item: CollateralItem }[]> {
  const indexPath = join(src, 'index.json')
  let index: unknown
  try {
    index = JSON.parse(await readText(indexPath))
  } catch (cause) {
    if (cause instanceof CollateralError) throw cause
    throw new CollateralError('MALFORMED', `${indexPath} is not JSON`, { cause })
  }
  if (!isJsonObject(index) || index['format'] !== FORMAT || !Array.isArray(index['entries'])) {
    throw new CollateralError('MALFORMED', `${indexPath}: not a ${FORMAT} index`)
  }
  const out = []
  for (const e of index['entries']) {
    const request = requestFromJson(isJsonObject(e) ? e['request'] : undefined)
    const path = entryPath(src, request)
    out.push({ request, item: parseEntry(await readText(path), path, collateralKey(request)).item })
  }
  return out
}

/**
 * Imports a bundle (a folder with index.json) or a flat `--collateral DIR` folder into a cache.
 * Every object is checked to be what its key says before anything is written; returns the keys.
 */
export async function importCollateral(src: string, cacheDir: string, now: Date): Promise<string[]> {
  let items: { request: CollateralRequest; item: CollateralItem }[]
  if (await exists(join(src, 'index.json'))) {
    items = await bundleItems(src)
  } else {
    items = []
    for (const request of await directoryRequests(src)) {
      const item = await readDirectoryItem(src, request)
      if (item !== undefined) items.push({ request, item })
    }
  }
  const checked = items.map(({ request, item }) => {
    checkCollateralMatches(request, item.body)
    const nextUpdate = nextUpdateOf(request, item.body)
    const fresh: CollateralItem = {
      body: item.body,
      ...(item.issuerChain === undefined ? {} : { issuerChain: item.issuerChain }),
      ...(nextUpdate === undefined ? {} : { nextUpdate }),
    }
    return { request, item: fresh }
  })
  for (const { request, item } of checked) await writeEntry(cacheDir, { request, item, storedAt: now })
  return checked.map(({ request }) => collateralKey(request))
}
