import type { Attester } from '@carapace/attester'
import {
  CocoError,
  KBS_PROTOCOL_VERSION,
  attestationToWire,
  exportTeePubKey,
  parseAttestationResponse,
  parseChallenge,
  requestToWire,
  runtimeDataBinding,
  selectedHashAlgorithm,
  type Challenge,
  type JsonValue,
  type TeeKeyPair,
} from '@carapace/protocol'
import type { CookieJar } from './cookie-jar.ts'
import { KbsClientError } from './kbs-client-error.ts'
import { readJson, responseError, send, type Fetch } from './kbs-http.ts'

/**
 * `supported-hash-algorithms`, byte-for-byte guest-components' `HashAlgorithm::list_all()`.
 * `sm3` is listed for wire parity only: Trustee selects a hash for IBM SE alone (sha512), and a
 * challenge selecting sm3 fails here as a PROTOCOL error (UNSUPPORTED_ALGORITHM cause).
 */
export const SUPPORTED_HASH_ALGORITHMS = ['sha256', 'sha384', 'sha512', 'sm3'] as const

export interface RcarContext {
  fetch: Fetch
  apiRoot: string
  jar: CookieJar
  attester: Attester
  deviceAttesters: readonly Attester[]
  teeKey: TeeKeyPair
  initData: string | undefined
}

/** Runs `/auth` then `/attest` on the jar's session and returns the attestation token. */
export async function rcarHandshake(context: RcarContext): Promise<string> {
  const { fetch, apiRoot, jar } = context
  jar.clear()
  const request = requestToWire({
    version: KBS_PROTOCOL_VERSION,
    tee: context.attester.tee,
    extraParams: { 'supported-hash-algorithms': [...SUPPORTED_HASH_ALGORITHMS] },
  })
  const authResponse = await send(fetch, `${apiRoot}/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  })
  if (!authResponse.ok) throw await responseError('ATTESTATION_FAILED', 'POST /kbs/v0/auth', authResponse)
  jar.storeAll(authResponse.headers)
  const challenge = decode('POST /kbs/v0/auth', parseChallenge, await readJson(authResponse, 'POST /kbs/v0/auth'))

  const attestation = await buildAttestation(context, challenge)
  const cookie = jar.header()
  const attestResponse = await send(fetch, `${apiRoot}/attest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie === undefined ? {} : { cookie }) },
    body: JSON.stringify(attestation),
  })
  if (!attestResponse.ok) throw await responseError('ATTESTATION_FAILED', 'POST /kbs/v0/attest', attestResponse)
  jar.storeAll(attestResponse.headers)
  const body = await readJson(attestResponse, 'POST /kbs/v0/attest')
  return decode('POST /kbs/v0/attest', parseAttestationResponse, body).token
}

async function buildAttestation(context: RcarContext, challenge: Challenge): Promise<unknown> {
  const hash = decode('challenge', selectedHashAlgorithm, challenge)
  const teePubKey = exportTeePubKey(context.teeKey)
  let additionalEvidence = ''
  if (context.deviceAttesters.length > 0) {
    const deviceReportData = runtimeDataBinding({ nonce: challenge.nonce, teePubKey }, hash)
    const devices: Record<string, JsonValue> = {}
    for (const device of context.deviceAttesters) devices[device.tee] = await device.evidence(deviceReportData)
    additionalEvidence = JSON.stringify(devices)
  }
  const reportData = runtimeDataBinding({ nonce: challenge.nonce, teePubKey, additionalEvidence }, hash)
  const primaryEvidence = await context.attester.evidence(reportData)
  return attestationToWire({
    initData: context.initData === undefined ? null : { format: 'toml', body: context.initData },
    runtimeData: { nonce: challenge.nonce, teePubKey },
    teeEvidence: { primaryEvidence, additionalEvidence },
  })
}

/** Applies a protocol codec, turning its errors into `PROTOCOL` client errors. */
function decode<In, Out>(what: string, codec: (input: In) => Out, input: In): Out {
  try {
    return codec(input)
  } catch (cause) {
    const detail = cause instanceof CocoError ? cause.message : 'invalid'
    throw new KbsClientError('PROTOCOL', `${what}: ${detail}`, { cause })
  }
}
