import type { Storage } from '@carapace/storage'
import { SESSION_NAMESPACE, decodeSession } from '../session/session-record.ts'

/**
 * Removes expired sessions that nobody asks for again (a session read after its timeout is
 * removed on the spot by rcar-sessions.ts; an abandoned one would stay forever). The removal is
 * a compare-and-swap on the bytes read, so a session another replica just changed survives.
 * Returns how many were removed.
 */
export async function sweepExpiredSessions(storage: Storage, now: Date): Promise<number> {
  let removed = 0
  for (const id of await storage.list(SESSION_NAMESPACE)) {
    const bytes = await storage.get(SESSION_NAMESPACE, id)
    if (bytes === undefined) continue
    let expired: boolean
    try {
      expired = decodeSession(bytes).timeout.getTime() <= now.getTime()
    } catch {
      // A record this version cannot read is left for the operator, never deleted blindly.
      continue
    }
    if (expired && (await storage.compareAndSwap(SESSION_NAMESPACE, id, bytes, undefined))) removed += 1
  }
  return removed
}

/** Runs the sweep every `intervalMs` (unref'd: it never keeps the process alive). */
export function startSessionSweeper(
  storage: Storage,
  options: { readonly intervalMs: number; readonly now: () => Date; readonly onError: (error: unknown) => void },
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve()
  const timer = setInterval(() => {
    running = sweepExpiredSessions(storage, options.now()).catch(options.onError)
  }, options.intervalMs)
  timer.unref()
  return {
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
