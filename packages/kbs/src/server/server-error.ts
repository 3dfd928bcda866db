import { CocoError } from '@carapace/protocol'

/**
 * Start-up failures of `carapace kbs serve` (the HTTP edge's errors are KbsError):
 * - `NOT_SERVED`: the config selects something this server does not provide (the message names the key).
 * - `KEY_MATERIAL`: a key or certificate file is missing, unreadable, half-present or does not match.
 * - `INVALID_ARGUMENT`: an option (listen address, certificate name) is malformed.
 * - `LISTEN`: a socket could not be bound.
 */
export type KbsServerErrorCode = 'NOT_SERVED' | 'KEY_MATERIAL' | 'INVALID_ARGUMENT' | 'LISTEN'

export class KbsServerError extends CocoError<KbsServerErrorCode> {}
