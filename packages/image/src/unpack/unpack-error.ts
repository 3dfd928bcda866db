import { CocoError } from '@carapace/protocol'

export type UnpackErrorCode =
  /** An `unpackLayers` argument is unusable (diff_id syntax, size limit, destination parent). */
  | 'INVALID_OPTION'
  /** The destination exists and is not an empty directory. */
  | 'DEST_EXISTS'
  /** The layer media type is not a plain, gzip or zstd tar (encrypted layers must be decrypted first). */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** The gzip/zstd stream is corrupt or exceeds the decompressor's memory bound. */
  | 'DECOMPRESS_FAILED'
  /** A tar header is malformed (magic, field syntax, unknown format). */
  | 'BAD_HEADER'
  /** A tar header checksum does not match. */
  | 'BAD_CHECKSUM'
  /** A numeric tar field (octal, base-256, pax decimal) is malformed or out of range. */
  | 'BAD_NUMBER'
  /** A pax extended header record is malformed or too large. */
  | 'BAD_PAX'
  /** The stream ended inside a header, an entry's data or an extended header. */
  | 'TRUNCATED'
  /** An entry type this unpacker does not handle (sparse, volume, multi-volume…). */
  | 'UNSUPPORTED_ENTRY'
  /** An entry's size exceeds the configured maximum. */
  | 'ENTRY_TOO_LARGE'
  /** An entry path is empty, too long, not UTF-8, contains NUL, or a whiteout names nothing. */
  | 'PATH_INVALID'
  /** An entry path is absolute or climbs out of the root with `..`. */
  | 'PATH_ESCAPE'
  /** A parent of the entry path is a symlink in the rootfs; following it could leave the root. */
  | 'PATH_THROUGH_SYMLINK'
  /** A parent of the entry path exists and is not a directory. */
  | 'PATH_CONFLICT'
  /** A hard link target escapes the root, is missing, is a directory, or the link names itself. */
  | 'LINK_TARGET_INVALID'
  /** A device or fifo entry while devices are refused. */
  | 'DEVICE_NOT_ALLOWED'
  /** sha256 of the uncompressed tar differs from the config's diff_id. */
  | 'DIFF_ID_MISMATCH'
  /** The caller's `verified` promise for a layer rejected (layer HMAC, blob digest). */
  | 'LAYER_NOT_VERIFIED'
  /** The operation was aborted through `signal`. */
  | 'ABORTED'
  /** A filesystem operation failed. */
  | 'IO_FAILED'

export interface UnpackErrorDetails {
  cause?: unknown
  /** The tar entry the error is about, as named in the archive. */
  entry?: string
  /** 0-based index of the layer being unpacked. */
  layer?: number
}

export class UnpackError extends CocoError<UnpackErrorCode> {
  readonly entry: string | undefined
  layer: number | undefined
  constructor(code: UnpackErrorCode, message: string, details: UnpackErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause })
    this.entry = details.entry
    this.layer = details.layer
  }
}
