import { CocoError } from '@carapace/protocol'

/**
 * - `CONFIG_INVALID`: the file does not parse, or a key is unknown or has a wrong type/value.
 * - `CONFIG_UNREADABLE`: the file could not be read (missing, permissions).
 * Messages always start with the file name and, where there is one, the key path.
 */
export type KbsConfigErrorCode = 'CONFIG_INVALID' | 'CONFIG_UNREADABLE'

export class KbsConfigError extends CocoError<KbsConfigErrorCode> {}

/** A deprecated or ignored key that was accepted; `key` is the full dotted path. */
export interface KbsConfigWarning {
  readonly key: string
  readonly file: string
  readonly message: string
}
