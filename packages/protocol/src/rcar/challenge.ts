import type { JsonValue } from '../jcs/json-value.ts'
import { expectJson, expectObject, expectString } from './wire-fields.ts'

/** POST /kbs/v0/auth response. `extraParams` is the string `""` except for IBM SE. */
export interface Challenge {
  nonce: string
  extraParams: JsonValue
}

export function parseChallenge(input: unknown): Challenge {
  const body = expectObject(input, 'Challenge')
  return {
    nonce: expectString(body['nonce'], 'Challenge.nonce'),
    extraParams: expectJson(body['extra-params'], 'Challenge.extra-params'),
  }
}

export function challengeToWire(challenge: Challenge): { nonce: string; 'extra-params': JsonValue } {
  return { nonce: challenge.nonce, 'extra-params': challenge.extraParams }
}
