import { createSampleAttester } from '@carapace/attester'
import {
  KBS_PROTOCOL_VERSION,
  attestationToWire,
  exportTeePubKey,
  generateTeeKeyPair,
  runtimeDataBinding,
  type AttestationWire,
  type TeeKeyPair,
} from '@carapace/protocol'
import type { KbsWire, WireResponse } from './kbs-wire.ts'

/** The `/auth` body a guest-components sample guest sends. */
export function sampleAuthBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: KBS_PROTOCOL_VERSION,
    tee: 'sample',
    'extra-params': { 'supported-hash-algorithms': ['sha256', 'sha384', 'sha512', 'sm3'] },
    ...overrides,
  }
}

export interface SampleAttestationOptions {
  /** The nonce the evidence's report data is bound to (default: the one sent). */
  readonly boundNonce?: string
  /** Replace the evidence's report data after binding (a tampered quote). */
  readonly tamperReportData?: boolean
  readonly initData?: string
}

/** A `/attest` body from the sample attester, with the runtime data bound as upstream does it. */
export async function sampleAttestationBody(
  nonce: string,
  teeKey: TeeKeyPair,
  options: SampleAttestationOptions = {},
): Promise<AttestationWire> {
  const teePubKey = exportTeePubKey(teeKey)
  const reportData = runtimeDataBinding(
    { nonce: options.boundNonce ?? nonce, teePubKey, additionalEvidence: '' },
    'sha384',
  )
  const evidence = (await createSampleAttester().evidence(reportData)) as { svn: string; report_data: string }
  if (options.tamperReportData === true) {
    const bytes = Buffer.from(evidence.report_data, 'base64')
    bytes[0] = (bytes[0] ?? 0) ^ 0xff
    evidence.report_data = bytes.toString('base64')
  }
  return attestationToWire({
    initData: options.initData === undefined ? null : { format: 'toml', body: options.initData },
    runtimeData: { nonce, teePubKey },
    teeEvidence: { primaryEvidence: { ...evidence }, additionalEvidence: '' },
  })
}

export interface RawSession {
  readonly cookie: string
  readonly nonce: string
  readonly teeKey: TeeKeyPair
}

/** POST /auth as a sample guest; fails the test unless the KBS issues a challenge and a cookie. */
export async function rawAuth(wire: KbsWire): Promise<RawSession> {
  const response = await wire.postJson('/kbs/v0/auth', sampleAuthBody())
  const nonce = (response.json as { nonce?: unknown } | undefined)?.nonce
  if (response.status !== 200 || typeof nonce !== 'string' || response.sessionCookie === undefined) {
    throw new Error(`/auth failed: ${String(response.status)} ${response.text}`)
  }
  return { cookie: response.sessionCookie, nonce, teeKey: generateTeeKeyPair() }
}

export function rawAttest(wire: KbsWire, session: RawSession, body: unknown): Promise<WireResponse> {
  return wire.postJson('/kbs/v0/attest', body, { cookie: session.cookie })
}

/** A full, honest sample handshake; returns the session cookie, the token and the TEE key. */
export async function rawHandshake(wire: KbsWire): Promise<RawSession & { readonly token: string }> {
  const session = await rawAuth(wire)
  const response = await rawAttest(wire, session, await sampleAttestationBody(session.nonce, session.teeKey))
  const token = (response.json as { token?: unknown } | undefined)?.token
  if (response.status !== 200 || typeof token !== 'string') {
    throw new Error(`/attest failed: ${String(response.status)} ${response.text}`)
  }
  return { ...session, token }
}
