import { bytesEqual } from './bytes-equal.ts'
import { StorageError } from './errors.ts'
import { checkKey, checkNamespace, checkPrefix, checkValue } from './key-syntax.ts'
import type { Storage } from './storage.ts'

/** Runs `fn` now; its result or thrown StorageError becomes a settled promise. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn())
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new StorageError('IO_ERROR', String(error)))
  }
}

/**
 * A Storage held in this process's memory: for tests and single-process development only (state
 * is lost on exit and not shared between replicas). Each operation runs to completion without
 * yielding, so all of them are atomic.
 */
export function createMemoryStorage(): Storage {
  const namespaces = new Map<string, Map<string, Uint8Array>>()
  let closed = false

  function open(namespace: string, key?: string): void {
    if (closed) throw new StorageError('CLOSED', 'memory storage is closed')
    checkNamespace(namespace)
    if (key !== undefined) checkKey(namespace, key)
  }

  function entries(namespace: string): Map<string, Uint8Array> {
    let map = namespaces.get(namespace)
    if (map === undefined) {
      map = new Map()
      namespaces.set(namespace, map)
    }
    return map
  }

  return {
    get(namespace, key) {
      return settle(() => {
        open(namespace, key)
        const value = namespaces.get(namespace)?.get(key)
        return value === undefined ? undefined : new Uint8Array(value)
      })
    },
    put(namespace, key, value) {
      return settle(() => {
        open(namespace, key)
        checkValue(namespace, key, value)
        entries(namespace).set(key, new Uint8Array(value))
      })
    },
    putIfAbsent(namespace, key, value) {
      return settle(() => {
        open(namespace, key)
        checkValue(namespace, key, value)
        const map = entries(namespace)
        if (map.has(key)) return false
        map.set(key, new Uint8Array(value))
        return true
      })
    },
    compareAndSwap(namespace, key, expected, next) {
      return settle(() => {
        open(namespace, key)
        checkValue(namespace, key, expected)
        if (next !== undefined) checkValue(namespace, key, next)
        const map = entries(namespace)
        const current = map.get(key)
        if (current === undefined || !bytesEqual(current, expected)) return false
        if (next === undefined) map.delete(key)
        else map.set(key, new Uint8Array(next))
        return true
      })
    },
    delete(namespace, key) {
      return settle(() => {
        open(namespace, key)
        return namespaces.get(namespace)?.delete(key) ?? false
      })
    },
    list(namespace, prefix = '') {
      return settle(() => {
        open(namespace)
        checkPrefix(namespace, prefix)
        const keys = [...(namespaces.get(namespace)?.keys() ?? [])].filter((k) => k.startsWith(prefix))
        return keys.sort()
      })
    },
    close() {
      return settle(() => {
        closed = true
        namespaces.clear()
      })
    },
  }
}
