import { CocoError } from '@carapace/protocol'

/**
 * - `MALFORMED`: the register message is not the JSON object `{version?, type, payload}` with string fields.
 * - `UNSUPPORTED_VERSION`: the message `version` is not `0.1.0`.
 * - `UNSUPPORTED_TYPE`: no extractor for the message `type` (e.g. `in-toto`), or a signed CoRIM.
 * - `INVALID_PAYLOAD`: the payload is not canonical standard base64, or its content does not fit its type.
 * - `INVALID_NAME`: a reference-value name that cannot be stored (empty, control characters, too long).
 * - `INVALID_VALUE`: an argument of a builder that cannot be converted (e.g. `--as-integer abc`).
 * - `INVALID_EXPIRATION`: an expiration that is not a valid time in years 0000–9999.
 * - `NOT_FOUND`: the named reference value is absent (or expired, for callers that treat it so).
 * - `STORAGE`: the storage backend failed, or holds a record that is not a reference value.
 */
export type RvpsErrorCode =
  | 'MALFORMED'
  | 'UNSUPPORTED_VERSION'
  | 'UNSUPPORTED_TYPE'
  | 'INVALID_PAYLOAD'
  | 'INVALID_NAME'
  | 'INVALID_VALUE'
  | 'INVALID_EXPIRATION'
  | 'NOT_FOUND'
  | 'STORAGE'

/** Every failure of the reference value provider service. */
export class RvpsError extends CocoError<RvpsErrorCode> {}
