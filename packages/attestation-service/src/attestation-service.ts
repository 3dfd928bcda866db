import { createHash } from 'node:crypto'
import {
  canonicalize,
  initDataClaims,
  initDataDigest,
  parseInitData,
  ProtocolError,
  type EarStatus,
  type JsonObject,
  type JsonValue,
  type RuntimeDataHash,
  type Tee,
} from '@carapace/protocol'
import type { Rvps } from '@carapace/rvps'
import type { Storage } from '@carapace/storage'
import { transformClaims } from './claims/transform-claims.ts'
import { createEarSigner, type EarPublicJwk, type EarSigner, type EarSignerOptions } from './ear/ear-signer.ts'
import { createEarBroker, type EarSubmodInput } from './ear/ear-token.ts'
import { AttestationServiceError } from './errors.ts'
import { evaluatePolicy, type PolicyExplanation } from './policy/evaluate-policy.ts'
import { createPolicyStore } from './policy/policy-store.ts'
import { gateSampleTee, SAMPLE_TEE_GATE_REASON } from './sample-tee-gate.ts'
import {
  verifierFor,
  type CollateralSource,
  type ExpectedBinding,
  type VerificationContext,
  type VerifiedClaims,
  type Verifier,
} from '@carapace/verifier'

/** One piece of evidence to appraise (the AS `VerificationRequest`). */
export interface VerificationRequest {
  readonly tee: Tee
  readonly evidence: unknown
  /** Structured runtime data is hashed as `hash(JCS(json))`; raw runtime data is used as-is. */
  readonly runtimeData: { readonly structured: JsonValue } | { readonly raw: Uint8Array }
  /** The init-data TOML as sent (digest with its own `algorithm`), or a bare digest. */
  readonly initData?: { readonly format: 'toml'; readonly body: string } | { readonly digest: Uint8Array }
  /** Hash of structured runtime data; default sha384 (the KBS sends sha512 for `se`). */
  readonly hashAlgorithm?: RuntimeDataHash
}

export interface AttestationServiceOptions {
  readonly storage: Storage
  readonly rvps: Pick<Rvps, 'lookup'>
  /** The clock: token times, and the time certificates, CRLs and TCB levels are judged at. */
  readonly now?: () => Date
  /** Vendor collateral for the hardware verifiers (AMD KDS, Intel PCS, …); absent: evidence and pinned roots only. */
  readonly collateral?: CollateralSource
  /** A signer, or how to make one (P-256 PEM; absent: an ephemeral key). */
  readonly signer?: EarSigner | EarSignerOptions
  /** `attestation_token_broker` settings. */
  readonly token?: {
    readonly durationMin?: number
    readonly issuer?: string
    readonly developer?: string
    readonly build?: string
    readonly profile?: string
  }
  /** `verbose_token`; default true. False drops `runtime_data_claims.additional-evidence`. */
  readonly verbose?: boolean
  /**
   * Development only: appraise `sample`/`sampledevice` evidence by the policy alone. When false
   * (default), such appraisals get hardware 97 and so are never `affirming` (sample-tee-gate.ts).
   */
  readonly insecureAllowSampleTee?: boolean
  /**
   * Verifiers built from configuration (e.g. `nvidia_dpu_verifier`), used instead of the default
   * instance of their TEE.
   */
  readonly verifiers?: Partial<Readonly<Record<Tee, Verifier>>>
}

/** Why each appraisal came out as it did: log it next to a denial. */
export interface AttestationExplanation {
  readonly submods: Readonly<Record<string, SubmodExplanation>>
}

export type SubmodExplanation = PolicyExplanation & {
  readonly status: EarStatus
  /** Set when the sample TEE gate overrode the policy's trust claims: why, and how to allow it. */
  readonly sampleTeeGate?: string
}

export interface AttestationResult {
  readonly token: string
  readonly payload: JsonObject
  readonly explanation: AttestationExplanation
}

export interface AttestationService {
  /** Installs the default policies (also done before the first evaluation). */
  ready(): Promise<void>
  evaluate(
    requests: VerificationRequest | readonly VerificationRequest[],
    policyIds?: readonly string[],
  ): Promise<AttestationResult>
  setPolicy(id: string, text: string): Promise<void>
  getPolicy(id: string): Promise<string | undefined>
  listPolicies(): Promise<string[]>
  /** The public key tokens are signed with (`/.well-known/jwks.json`). */
  readonly jwk: EarPublicJwk
}

function isSigner(value: EarSigner | EarSignerOptions): value is EarSigner {
  return 'sign' in value && typeof value.sign === 'function'
}

function expectedReportData(request: VerificationRequest): { digest: Uint8Array; claims: JsonValue } {
  const runtime = request.runtimeData
  if ('raw' in runtime) return { digest: runtime.raw, claims: null }
  const hash = request.hashAlgorithm ?? 'sha384'
  const digest = new Uint8Array(createHash(hash).update(canonicalize(runtime.structured), 'utf8').digest())
  return { digest, claims: runtime.structured }
}

function expectedInitData(request: VerificationRequest): { digest?: Uint8Array; claims: JsonValue } {
  const initData = request.initData
  if (initData === undefined) return { claims: null }
  if ('digest' in initData) return { digest: initData.digest, claims: null }
  try {
    const doc = parseInitData(initData.body)
    return { digest: initDataDigest(initData.body, doc.algorithm), claims: initDataClaims(doc) }
  } catch (cause) {
    if (cause instanceof ProtocolError) {
      throw new AttestationServiceError('INVALID_REQUEST', cause.message, { cause })
    }
    throw cause
  }
}

export function createAttestationService(options: AttestationServiceOptions): AttestationService {
  const policies = createPolicyStore(options.storage)
  const signer =
    options.signer !== undefined && isSigner(options.signer) ? options.signer : createEarSigner(options.signer)
  const broker = createEarBroker({ signer, ...options.token, ...(options.now ? { now: options.now } : {}) })
  const verbose = options.verbose ?? true
  const allowSample = options.insecureAllowSampleTee ?? false
  let installed: Promise<void> | undefined
  const ready = (): Promise<void> => (installed ??= policies.installDefaults())
  const verificationContext = (): VerificationContext => ({
    ...(options.now ? { at: options.now() } : {}),
    ...(options.collateral ? { collateral: options.collateral } : {}),
  })
  // Verifiers fetch collateral through getCollateral, which turns a failing source into
  // COLLATERAL_UNAVAILABLE, so every rejection here is already a typed VerificationError.
  const verify = (request: VerificationRequest, expected: ExpectedBinding): Promise<VerifiedClaims[]> =>
    (options.verifiers?.[request.tee] ?? verifierFor(request.tee)).verify(
      request.evidence,
      expected,
      verificationContext(),
    )

  return {
    ready,
    jwk: signer.jwk,
    setPolicy: (id, text) => policies.setPolicy(id, text),
    getPolicy: (id) => policies.getPolicy(id),
    listPolicies: () => policies.listPolicies(),

    async evaluate(requestOrRequests, policyIds = ['default']) {
      await ready()
      const requests: readonly VerificationRequest[] = Array.isArray(requestOrRequests)
        ? requestOrRequests
        : [requestOrRequests as VerificationRequest]
      if (requests.length === 0) throw new AttestationServiceError('INVALID_REQUEST', 'no verification request')
      const policyBase = policyIds[0] ?? 'default'
      const submods: Record<string, EarSubmodInput> = {}
      const explained: Record<string, SubmodExplanation & { status: EarStatus }> = {}
      const counters = new Map<string, number>()
      for (const request of requests) {
        const reportData = expectedReportData(request)
        const initData = expectedInitData(request)
        const verified = await verify(request, {
          reportData: reportData.digest,
          ...(initData.digest === undefined ? {} : { initDataDigest: initData.digest }),
        })
        for (const { claims, teeClass } of verified) {
          const annotated = transformClaims({
            tee: request.tee,
            claims,
            runtimeDataClaims: reportData.claims,
            initDataClaims: initData.claims,
            verbose,
          })
          const policyId = `${policyBase}_${teeClass}`
          const outcome = await evaluatePolicy(await policies.compiled(policyId), policyId, annotated, (id) =>
            options.rvps.lookup(id),
          )
          const index = counters.get(teeClass) ?? 0
          counters.set(teeClass, index + 1)
          const name = `${teeClass}${index}`
          const gate = gateSampleTee(request.tee, outcome.trustVector, allowSample)
          submods[name] = {
            trustVector: gate.trustVector,
            policyId: policyBase,
            annotatedEvidence: annotated,
            extensions: Object.fromEntries(outcome.extensions.map((e) => [e.name, e.value])),
          }
          explained[name] = {
            ...outcome.explanation,
            status: 'none',
            ...(gate.capped ? { sampleTeeGate: SAMPLE_TEE_GATE_REASON } : {}),
          }
        }
      }
      const { token, payload } = broker.issue(submods)
      const issued = payload['submods'] as Record<string, { 'ear.status': EarStatus }>
      for (const [name, explanation] of Object.entries(explained)) {
        explanation.status = issued[name]?.['ear.status'] ?? 'none'
      }
      return { token, payload, explanation: { submods: explained } }
    },
  }
}
