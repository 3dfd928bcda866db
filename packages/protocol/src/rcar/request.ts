import { ProtocolError } from '../errors.ts'
import type { JsonValue } from '../jcs/json-value.ts'
import { parseTee, type Tee } from './tee.ts'
import { expectJson, expectObject, expectString } from './wire-fields.ts'

/** The only KBS protocol version Trustee accepts (`VersionReq "=0.4.0"`). */
export const KBS_PROTOCOL_VERSION = '0.4.0'

/** POST /kbs/v0/auth body. */
export interface Request {
  version: string
  tee: Tee
  /** Any JSON; guests send `{"supported-hash-algorithms":[…]}`, older ones `""`. */
  extraParams: JsonValue
}

export function parseRequest(input: unknown): Request {
  const body = expectObject(input, 'Request')
  const version = expectString(body['version'], 'Request.version')
  if (version !== KBS_PROTOCOL_VERSION) {
    throw new ProtocolError(
      'UNSUPPORTED_VERSION',
      `Request.version: KBS protocol version ${JSON.stringify(version)} is not ${KBS_PROTOCOL_VERSION}`,
    )
  }
  const tee = parseTee(body['tee'], 'Request.tee')
  const extraParams = expectJson(body['extra-params'], 'Request.extra-params')
  return { version, tee, extraParams }
}

export function requestToWire(request: Request): { version: string; tee: Tee; 'extra-params': JsonValue } {
  return { version: request.version, tee: request.tee, 'extra-params': request.extraParams }
}
