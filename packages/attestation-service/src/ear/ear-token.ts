import {
  TRUSTEE_EAR_PROFILE,
  statusOf,
  type TrustworthinessVector,
  type EarStatus,
  type JsonObject,
  type JsonValue,
} from '@carapace/protocol'
import type { EarSigner } from './ear-signer.ts'

/** `attestation_token_broker` settings (upstream defaults). */
export interface EarBrokerOptions {
  readonly signer: EarSigner
  readonly now?: () => Date
  /** Token lifetime in minutes; default 5. */
  readonly durationMin?: number
  readonly issuer?: string
  readonly developer?: string
  readonly build?: string
  readonly profile?: string
}

/** One appraisal (`submods.<name>`). */
export interface EarSubmodInput {
  readonly trustVector: TrustworthinessVector
  readonly policyId: string
  readonly annotatedEvidence: JsonObject
  /** Policy extensions by name (e.g. `ear.trustee.identifiers`). */
  readonly extensions?: Readonly<Record<string, JsonValue>>
}

export interface EarBroker {
  /** Signs a token over the appraisals (`cpu0`, `gpu0`, …); returns it with its payload. */
  issue(submods: Readonly<Record<string, EarSubmodInput>>): { token: string; payload: JsonObject }
}

const base64url = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url')

export function createEarBroker(options: EarBrokerOptions): EarBroker {
  const now = options.now ?? (() => new Date())
  const durationMin = options.durationMin ?? 5
  const header = { typ: 'JWT', alg: 'ES256', jwk: options.signer.jwk }
  return {
    issue(submods) {
      const iat = Math.floor(now().getTime() / 1000)
      const appraisals: JsonObject = {}
      // Sorted like the ear crate's BTreeMap of submods.
      const names = Object.keys(submods).sort()
      for (const name of names) {
        const submod = submods[name]
        if (submod === undefined) continue
        const status: EarStatus = statusOf(submod.trustVector)
        appraisals[name] = {
          'ear.status': status,
          'ear.trustworthiness-vector': { ...submod.trustVector },
          'ear.appraisal-policy-id': submod.policyId,
          'ear.veraison.annotated-evidence': submod.annotatedEvidence,
          ...submod.extensions,
        }
      }
      const payload: JsonObject = {
        eat_profile: options.profile ?? TRUSTEE_EAR_PROFILE,
        iat,
        'ear.verifier-id': {
          developer: options.developer ?? 'https://confidentialcontainers.org',
          build: options.build ?? 'attestation-service 0.1.0',
        },
        submods: appraisals,
        exp: iat + durationMin * 60,
        iss: options.issuer ?? 'CoCo-Attestation-Service',
      }
      const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`
      const signature = options.signer.sign(new TextEncoder().encode(input))
      return { token: `${input}.${base64url(signature)}`, payload }
    },
  }
}
