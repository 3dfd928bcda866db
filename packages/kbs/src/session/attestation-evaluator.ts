import type { InitData, JsonValue, Tee } from '@carapace/protocol'

/** One piece of evidence and the structured runtime data it must be bound to. */
export interface EvidenceToEvaluate {
  readonly tee: Tee
  readonly evidence: JsonValue
  /** `{"tee-pubkey", "nonce", "additional-evidence"?}`: the AS hashes its JCS form. */
  readonly runtimeData: Record<string, unknown>
  readonly runtimeDataHash: 'sha384' | 'sha512'
  readonly initData: InitData | null
}

export interface AttestationEvaluation {
  readonly requests: readonly EvidenceToEvaluate[]
  readonly policyIds: readonly string[]
  /** The HTTP request this evaluation serves, for the evaluator's log lines. */
  readonly requestId?: string
}

/**
 * What the KBS needs from an attestation service (built-in or remote): one token for a set of
 * evidence. Failures are thrown; the KBS reports them as RcarAttestFailed.
 */
export interface AttestationEvaluator {
  evaluate(request: AttestationEvaluation): Promise<{ token: string; explanation?: unknown }>
}
