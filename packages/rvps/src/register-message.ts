import { RvpsError } from './errors.ts'

/** The only register-message version upstream RVPS accepts. */
export const REGISTER_MESSAGE_VERSION = '0.1.0'

/**
 * The RVPS register message: body of KBS `POST /kbs/v0/reference-value` and of the gRPC
 * `RegisterReferenceValue.message`. `payload` is standard base64 of the provenance; how it is read
 * depends on `type` (`sample`, `swid`, `corim`).
 */
export interface RegisterMessage {
  readonly version: string
  readonly type: string
  readonly payload: string
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Checks a register message, given as JSON text or as an already parsed value. Like upstream,
 * an absent `version` means `0.1.0` and unknown fields are ignored; `type` is not checked here
 * (the extractor lookup reports `UNSUPPORTED_TYPE`).
 */
export function parseRegisterMessage(input: unknown): RegisterMessage {
  let value = input
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown
    } catch (cause) {
      throw new RvpsError('MALFORMED', 'register message is not valid JSON', { cause })
    }
  }
  if (!isRecord(value)) {
    throw new RvpsError('MALFORMED', 'register message must be a JSON object')
  }
  const version = value['version'] === undefined ? REGISTER_MESSAGE_VERSION : value['version']
  const { type, payload } = value
  if (typeof version !== 'string') {
    throw new RvpsError('MALFORMED', 'register message field `version` must be a string')
  }
  if (type === undefined) throw new RvpsError('MALFORMED', 'register message lacks the field `type`')
  if (typeof type !== 'string') throw new RvpsError('MALFORMED', 'register message field `type` must be a string')
  if (payload === undefined) throw new RvpsError('MALFORMED', 'register message lacks the field `payload`')
  if (typeof payload !== 'string') {
    throw new RvpsError('MALFORMED', 'register message field `payload` must be a string')
  }
  if (version !== REGISTER_MESSAGE_VERSION) {
    throw new RvpsError(
      'UNSUPPORTED_VERSION',
      `register message version ${JSON.stringify(version)} is not supported (need ${REGISTER_MESSAGE_VERSION})`,
    )
  }
  return { version, type, payload }
}
