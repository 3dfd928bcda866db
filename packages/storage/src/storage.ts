/**
 * One namespaced key–value interface for every piece of state the trust plane keeps: resources,
 * policies, sessions, reference values, audit records. No correctness-relevant state may live
 * only in one process, so every implementation must be safe to share between replicas (the fs
 * backend between processes on one host, the postgres backend between hosts).
 *
 * Namespaces and keys are restricted to `[A-Za-z0-9._/-]`, 1–256 characters, and may not start
 * with `/` or `.`, nor contain empty, `.` or `..` segments (enforced by every backend before any
 * I/O: `StorageError('INVALID_KEY')`). Upstream namespaces: `kbs` (resource policy), `repository`
 * (resources, key `repo/type/tag`), `kbs_protocol_session`, `attestation_service_policy`,
 * `reference_value`.
 *
 * Every operation is linearizable per key, also between processes sharing a backend (for the fs
 * backend within the limits of its lock lease, see fs-lock.ts). Values are
 * copied in and out: mutating a buffer after `put` or after `get` never changes the stored value.
 *
 * How a stateless KBS replica uses it:
 * - `/auth` creates a session under a fresh random id with `putIfAbsent`.
 * - `/attest` (possibly on another replica) reads the session and moves it from Authed to Attested
 *   with `compareAndSwap(ns, id, bytesItRead, attestedBytes)`: if two requests race, exactly one
 *   wins; the loser sees `false` and re-reads.
 * - Expired sessions are removed with `compareAndSwap(ns, id, bytesItRead, undefined)`, so a
 *   session that changed after it was read is never removed by mistake.
 * - Audit records are appended with `putIfAbsent` under unique keys (e.g. time + random suffix);
 *   `list` with a prefix reads them back in key order.
 *
 * Errors are `StorageError` (errors.ts): `INVALID_KEY`, `INVALID_VALUE`, `IO_ERROR` (with
 * `cause`), `CLOSED` (used after `close()`), `CONFLICT` (a lock held by another writer too long).
 */
export interface Storage {
  /** The value, or undefined when the key is absent. */
  get(namespace: string, key: string): Promise<Uint8Array | undefined>
  /** Writes atomically: a reader sees the old or the new value, never a torn one. */
  put(namespace: string, key: string, value: Uint8Array): Promise<void>
  /**
   * Writes only when the key is absent; returns false (and writes nothing) when it exists. Among
   * concurrent calls for one absent key, exactly one returns true.
   */
  putIfAbsent(namespace: string, key: string, value: Uint8Array): Promise<boolean>
  /**
   * Atomically replaces the value with `next` (or deletes the key when `next` is undefined) only
   * if the current value equals `expected` byte for byte. Returns false, changing nothing, when
   * the key is absent or holds other bytes. (To create a key, use `putIfAbsent`.)
   */
  compareAndSwap(namespace: string, key: string, expected: Uint8Array, next: Uint8Array | undefined): Promise<boolean>
  /** Removes the key; returns false when it was absent. */
  delete(namespace: string, key: string): Promise<boolean>
  /**
   * Keys of a namespace (optionally those starting with `prefix`), sorted by code unit (= byte
   * order, keys being ASCII). An unknown namespace has no keys. The prefix may be empty or end in
   * `/`, but uses the key alphabet (`INVALID_KEY` otherwise).
   */
  list(namespace: string, prefix?: string): Promise<string[]>
  /**
   * Releases resources (connections, handles) after operations already started have finished.
   * Idempotent. Any later call rejects with `StorageError('CLOSED')`.
   */
  close(): Promise<void>
}
