import { AsyncLocalStorage } from 'node:async_hooks'
import type { Fetch } from '@carapace/kbs-client'

const current = new AsyncLocalStorage<string>()

/** Runs `work` with `requestId` as the id that KBS calls made on its behalf carry. */
export function withRequestId<T>(requestId: string, work: () => Promise<T>): Promise<T> {
  return current.run(requestId, work)
}

/**
 * A fetch that sends the current CDH request id as `x-request-id`, which the KBS adopts for its
 * own log lines: a denial in the KBS log and the CDH's error line then share one id.
 */
export function fetchWithRequestId(fetch: Fetch): Fetch {
  return (input, init = {}) => {
    const requestId = current.getStore()
    if (requestId === undefined) return fetch(input, init)
    const headers = new Headers(init.headers)
    if (!headers.has('x-request-id')) headers.set('x-request-id', requestId)
    return fetch(input, { ...init, headers })
  }
}
