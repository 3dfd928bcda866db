import { CocoError } from '@carapace/protocol'

/**
 * - `INVALID_KEY`: a namespace, key or list prefix outside the allowed syntax (see key-syntax.ts).
 * - `INVALID_VALUE`: a value that is not a Uint8Array.
 * - `IO_ERROR`: the backend failed (file system, connection); `cause` holds the original error.
 * - `CLOSED`: the storage was used after `close()`.
 * - `CONFLICT`: a key stayed locked by another writer past the lock timeout (fs backend).
 */
export type StorageErrorCode = 'INVALID_KEY' | 'INVALID_VALUE' | 'IO_ERROR' | 'CLOSED' | 'CONFLICT'

export class StorageError extends CocoError<StorageErrorCode> {}
