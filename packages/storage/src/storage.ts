/**
 * One namespaced key–value interface for every piece of state the trust plane keeps: resources,
 * policies, sessions, reference values, audit records. No correctness-relevant state may live
 * only in one process, so every implementation must be safe to share between replicas (the fs
 * backend between processes on one host, the postgres backend between hosts).
 *
 * Namespaces and keys are restricted to `[A-Za-z0-9._/-]`, 1–256 characters, and may not contain
 * `..` segments or start with `/` or `.` (enforced by every backend: `INVALID_KEY`).
 */
export interface Storage {
  /** The value, or undefined when the key is absent. */
  get(namespace: string, key: string): Promise<Uint8Array | undefined>
  /** Writes atomically: a reader sees the old or the new value, never a torn one. */
  put(namespace: string, key: string, value: Uint8Array): Promise<void>
  /** Writes only when the key is absent; returns false (and writes nothing) when it exists. */
  putIfAbsent(namespace: string, key: string, value: Uint8Array): Promise<boolean>
  /** Removes the key; returns false when it was absent. */
  delete(namespace: string, key: string): Promise<boolean>
  /** Keys of a namespace (optionally those starting with `prefix`), sorted. */
  list(namespace: string, prefix?: string): Promise<string[]>
  /** Releases resources (connections, handles). */
  close(): Promise<void>
}
