import { CollateralError } from './collateral-error.ts'
import { readEntry, writeEntry } from './collateral-entry.ts'
import {
  collateralKey,
  type CollateralItem,
  type CollateralRequest,
  type CollateralSource,
} from './collateral-source.ts'

export interface CachedCollateralOptions {
  /** The cache folder (entries as in collateral-entry.ts; the same files a bundle holds). */
  readonly dir: string
  readonly now?: () => Date
  /** Called when an expired item is served because its refresh failed (or found nothing). */
  readonly onStale?: (key: string, reason: unknown) => void
}

function fresh(item: CollateralItem, now: Date): boolean {
  return item.nextUpdate === undefined || now.getTime() < item.nextUpdate.getTime()
}

/**
 * A disk cache in front of another source. An item is served until its `nextUpdate`; then it is
 * fetched again. One fetch per key is in flight at a time; concurrent gets share it. When a refresh
 * fails (or the source no longer has the object) and an expired copy is on disk, the copy is served
 * and `onStale` is told — availability over freshness, because the verifier judges the item at its
 * own time anyway (an expired CRL or TCB Info is `CERT_EXPIRED` there, never silently accepted).
 * Without a stale copy the failure propagates. Items the source does not have are not cached.
 */
export function createCachedCollateral(inner: CollateralSource, options: CachedCollateralOptions): CollateralSource {
  const now = options.now ?? (() => new Date())
  const memory = new Map<string, CollateralItem>()
  const inFlight = new Map<string, Promise<CollateralItem | undefined>>()

  async function load(key: string, request: CollateralRequest): Promise<CollateralItem | undefined> {
    const stored = memory.get(key) ?? (await readEntry(options.dir, request))?.item
    if (stored !== undefined && fresh(stored, now())) {
      memory.set(key, stored)
      return stored
    }
    let item: CollateralItem | undefined
    try {
      item = await inner.get(request)
    } catch (reason) {
      if (stored === undefined) throw reason
      options.onStale?.(key, reason)
      return stored
    }
    if (item === undefined) {
      if (stored !== undefined)
        options.onStale?.(key, new CollateralError('HTTP_ERROR', `${key}: the source no longer has it`))
      return stored
    }
    await writeEntry(options.dir, { request, item, storedAt: now() })
    memory.set(key, item)
    return item
  }

  return {
    get(request) {
      const key = collateralKey(request)
      const hit = memory.get(key)
      if (hit !== undefined && fresh(hit, now())) return Promise.resolve(hit)
      let pending = inFlight.get(key)
      if (pending === undefined) {
        pending = load(key, request).finally(() => inFlight.delete(key))
        inFlight.set(key, pending)
      }
      return pending
    },
  }
}
