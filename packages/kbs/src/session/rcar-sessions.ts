import {
  CocoError,
  importTeePubKey,
  newNonce,
  parseAttestation,
  parseRequest,
  parseTee,
  runtimeDataObject,
} from '@carapace/protocol'
import type { Attestation, Challenge, JsonValue } from '@carapace/protocol'
import type { Storage } from '@carapace/storage'
import { KbsError } from '../http/errors.ts'
import type { AttestationEvaluator, EvidenceToEvaluate } from './attestation-evaluator.ts'
import { SESSION_NAMESPACE, decodeSession, encodeSession, type SessionRecord } from './session-record.ts'

export const DEFAULT_SESSION_TIMEOUT_MIN = 5
const SESSION_ID = /^[0-9a-f]{32}$/

export interface RcarSessionDeps {
  readonly storage: Storage
  readonly attestation: AttestationEvaluator
  readonly random: (size: number) => Uint8Array
  readonly now: () => Date
  /** attestation_service.timeout, minutes. */
  readonly timeoutMinutes: number
}

export interface SessionGrant {
  readonly id: string
  readonly expires: Date
}

/** POST /auth: validates the Request and stores a fresh Authed session under a new random id. */
export async function startSession(
  deps: RcarSessionDeps,
  body: unknown,
): Promise<SessionGrant & { readonly challenge: Challenge }> {
  let request
  try {
    request = parseRequest(body)
  } catch (cause) {
    if (cause instanceof CocoError && cause.code === 'UNSUPPORTED_VERSION') {
      throw new KbsError('RCAR_AUTH_FAILED', 'KBS Client Protocol Version Mismatch', { cause })
    }
    const detail = cause instanceof CocoError ? cause.message : 'malformed Request'
    throw new KbsError('RCAR_AUTH_FAILED', `RCAR handshake Auth failed: ${detail}`, { cause })
  }
  const challenge: Challenge = { nonce: newNonce(deps.random), extraParams: '' }
  const timeout = new Date(deps.now().getTime() + deps.timeoutMinutes * 60_000)
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const id = Buffer.from(deps.random(16)).toString('hex')
    const session: SessionRecord = { state: 'Authed', id, request, challenge, timeout }
    if (await deps.storage.putIfAbsent(SESSION_NAMESPACE, id, encodeSession(session))) {
      return { id, expires: timeout, challenge }
    }
  }
  throw new KbsError('RCAR_AUTH_FAILED', 'RCAR handshake Auth failed: could not allocate a session id')
}

/** POST /attest: checks the session and nonce, asks the AS, stores the token (compare-and-swap). */
export async function attestSession(
  deps: RcarSessionDeps,
  sessionId: string | undefined,
  body: unknown,
  requestId?: string,
): Promise<SessionGrant & { readonly token: string; readonly explanation?: unknown }> {
  const found = await readLiveSession(deps, sessionId)
  if (found === undefined)
    throw new KbsError('RCAR_ATTEST_FAILED', 'RCAR handshake Attest failed: session not found or expired')
  const { session, bytes } = found
  if (session.state === 'Attested') return { id: session.id, expires: session.timeout, token: session.token }
  let attestation: Attestation
  try {
    attestation = parseAttestation(body)
  } catch (cause) {
    const detail = cause instanceof CocoError ? cause.message : 'malformed Attestation'
    throw new KbsError('RCAR_ATTEST_FAILED', `RCAR handshake Attest failed: ${detail}`, { cause })
  }
  if (attestation.runtimeData.nonce !== session.challenge.nonce) {
    throw new KbsError('RCAR_ATTEST_FAILED', 'RCAR handshake Attest failed: nonce does not match the challenge')
  }
  try {
    // A key no resource could be encrypted to: refuse now rather than issue a useless token.
    importTeePubKey(attestation.runtimeData.teePubKey)
  } catch (cause) {
    const detail = cause instanceof CocoError ? cause.message : 'unusable tee-pubkey'
    throw new KbsError('RCAR_ATTEST_FAILED', `RCAR handshake Attest failed: ${detail}`, { cause })
  }
  let token: string
  let explanation: unknown
  try {
    ;({ token, explanation } = await deps.attestation.evaluate({
      requests: evidenceRequests(session, attestation),
      policyIds: ['default'],
      ...(requestId === undefined ? {} : { requestId }),
    }))
  } catch (cause) {
    if (cause instanceof KbsError && cause.code === 'RCAR_ATTEST_FAILED') throw cause
    const detail = cause instanceof CocoError ? cause.message : 'attestation service failed'
    throw new KbsError('RCAR_ATTEST_FAILED', `RCAR handshake Attest failed: ${detail}`, { cause })
  }
  const attested: SessionRecord = { state: 'Attested', id: session.id, token, timeout: session.timeout }
  if (!(await deps.storage.compareAndSwap(SESSION_NAMESPACE, session.id, bytes, encodeSession(attested)))) {
    // Another replica finished this session first: answer with what it stored.
    const winner = await readLiveSession(deps, session.id)
    if (winner?.session.state === 'Attested') {
      return { id: winner.session.id, expires: winner.session.timeout, token: winner.session.token }
    }
    throw new KbsError('RCAR_ATTEST_FAILED', 'RCAR handshake Attest failed: session changed concurrently')
  }
  return { id: session.id, expires: session.timeout, token, ...(explanation === undefined ? {} : { explanation }) }
}

/** The token of a live attested session, or undefined (no cookie, unknown, expired, not attested). */
export async function attestedSessionToken(
  deps: RcarSessionDeps,
  sessionId: string | undefined,
): Promise<string | undefined> {
  const found = await readLiveSession(deps, sessionId)
  return found?.session.state === 'Attested' ? found.session.token : undefined
}

async function readLiveSession(
  deps: RcarSessionDeps,
  sessionId: string | undefined,
): Promise<{ session: SessionRecord; bytes: Uint8Array } | undefined> {
  if (sessionId === undefined || !SESSION_ID.test(sessionId)) return undefined
  const bytes = await deps.storage.get(SESSION_NAMESPACE, sessionId)
  if (bytes === undefined) return undefined
  const session = decodeSession(bytes)
  if (session.timeout.getTime() <= deps.now().getTime()) {
    await deps.storage.compareAndSwap(SESSION_NAMESPACE, sessionId, bytes, undefined)
    return undefined
  }
  return { session, bytes }
}

/** §1.3 steps 4–6: primary evidence with additional-evidence in its runtime data, then devices. */
function evidenceRequests(
  session: SessionRecord & { state: 'Authed' },
  attestation: Attestation,
): EvidenceToEvaluate[] {
  const tee = session.request.tee
  const runtimeDataHash = tee === 'se' ? 'sha512' : 'sha384'
  const { nonce, teePubKey } = attestation.runtimeData
  const additional = attestation.teeEvidence.additionalEvidence
  const requests: EvidenceToEvaluate[] = [
    {
      tee,
      evidence: attestation.teeEvidence.primaryEvidence,
      runtimeData: runtimeDataObject({ nonce, teePubKey, additionalEvidence: additional }),
      runtimeDataHash,
      initData: attestation.initData,
    },
  ]
  if (additional === '') return requests
  let devices: unknown
  try {
    devices = JSON.parse(additional)
  } catch (cause) {
    throw new KbsError('RCAR_ATTEST_FAILED', 'RCAR handshake Attest failed: additional_evidence is not JSON', { cause })
  }
  if (!isObject(devices)) {
    throw new KbsError('RCAR_ATTEST_FAILED', 'RCAR handshake Attest failed: additional_evidence is not a JSON object')
  }
  for (const [name, evidence] of Object.entries(devices)) {
    let deviceTee
    try {
      deviceTee = parseTee(name, 'additional_evidence')
    } catch (cause) {
      throw new KbsError('RCAR_ATTEST_FAILED', `RCAR handshake Attest failed: unknown tee ${JSON.stringify(name)}`, {
        cause,
      })
    }
    requests.push({
      tee: deviceTee,
      evidence: evidence as JsonValue,
      runtimeData: runtimeDataObject({ nonce, teePubKey }),
      runtimeDataHash,
      initData: null,
    })
  }
  return requests
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
