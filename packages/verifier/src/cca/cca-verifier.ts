import { bytesEqual, evidenceObject } from '../evidence-json.ts'
import { onlyFields } from '../only-fields.ts'
import { VerificationError, type Verifier } from '../verifier.ts'
import { ccaClaims } from './cca-claims.ts'
import { splitCcaToken } from './cca-token.ts'
import { parseCoseSign1, verifyCoseSign1 } from './cose-sign1.ts'
import { parsePlatformClaims } from './platform-claims.ts'
import { checkRakBinding, realmAttestationKey } from './rak-binding.ts'
import { parseRealmClaims } from './realm-claims.ts'
import { findTrustAnchor, loadTrustAnchorsFromConfig, type CcaTrustAnchor } from './trust-anchors.ts'

/** Where upstream's AS reads its CCA verifier config (overridden by `CCA_CONFIG_FILE`). */
export const DEFAULT_CCA_CONFIG = '/opt/confidential-containers/attestation-service/cca/config.json'

export interface CcaVerifierOptions {
  /** The platform trust anchors (CPAKs); default: the ta-store named by upstream's config file. */
  readonly trustAnchors?: readonly CcaTrustAnchor[]
  /** Upstream's config file naming the ta-store; default: `CCA_CONFIG_FILE`, else {@link DEFAULT_CCA_CONFIG}. */
  readonly configFile?: string
}

/** Zero-padded (or truncated) to `size` bytes. */
function regularize(data: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size)
  out.set(data.subarray(0, size))
  return out
}

const EVIDENCE_FIELDS = new Set(['token'])

/** `{"token":[bytes…]}`: the token as a JSON array of byte values; no other field (nothing signs it). */
function tokenBytes(evidence: unknown): Uint8Array {
  const object = evidenceObject(evidence, 'cca')
  onlyFields(object, EVIDENCE_FIELDS, 'cca evidence')
  const token = object.token
  if (!Array.isArray(token) || token.length === 0)
    throw new VerificationError('EVIDENCE_MALFORMED', 'cca evidence.token: expected an array of bytes')
  if (!token.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'cca evidence.token: every element must be a byte (0..255)')
  }
  return new Uint8Array(token as number[])
}

/**
 * Arm CCA in Trustee's local mode: the platform token verified with its CPAK from the trust-anchor
 * store, the realm token with the RAK the platform token vouches for, realm challenge == report data
 * (zero-padded to 64), personalization value == init-data digest zero-padded to 64. Upstream compares
 * the digest unpadded, so only a SHA-512 digest could ever match there; the guest (kata) pads a
 * shorter digest into the 64-byte value, which this accepts. The ta-store's CPAK is the only trust
 * input: upstream's rv-store appraisal of platform software does not decide acceptance (only the
 * realm's instance identity does), so reference values are left to the policy.
 */
export function createCcaVerifier(options: CcaVerifierOptions = {}): Verifier {
  // Loaded once per verifier, on first use; a failed load is not kept, so the next call retries.
  let loading: Promise<readonly CcaTrustAnchor[]> | undefined
  const anchors = async (): Promise<readonly CcaTrustAnchor[]> => {
    if (options.trustAnchors !== undefined) return options.trustAnchors
    if (loading === undefined) {
      const load = loadTrustAnchorsFromConfig(options.configFile ?? process.env.CCA_CONFIG_FILE ?? DEFAULT_CCA_CONFIG)
      loading = load
      load.catch(() => {
        if (loading === load) loading = undefined
      })
    }
    return loading
  }
  return {
    async verify(evidence, expected) {
      const parts = splitCcaToken(tokenBytes(evidence))
      const platformToken = parseCoseSign1(parts.platform, 'platform')
      const realmToken = parseCoseSign1(parts.realm, 'realm')
      const platform = parsePlatformClaims(platformToken.payload)
      const realm = parseRealmClaims(realmToken.payload)

      const anchor = findTrustAnchor(await anchors(), platform.instanceId, platform.implementationId)
      verifyCoseSign1(platformToken, anchor.cpak, 'platform')
      checkRakBinding(platform, realm)
      verifyCoseSign1(realmToken, realmAttestationKey(realm.publicKey), 'realm')

      if (expected.reportData !== undefined && !bytesEqual(realm.challenge, regularize(expected.reportData, 64))) {
        throw new VerificationError('REPORT_DATA_MISMATCH', 'cca: the realm challenge is not the expected report data')
      }
      if (
        expected.initDataDigest !== undefined &&
        !bytesEqual(realm.personalizationValue, regularize(expected.initDataDigest, 64))
      ) {
        throw new VerificationError(
          'INIT_DATA_MISMATCH',
          'cca: the realm personalization value is not the init-data digest',
        )
      }
      return [{ claims: ccaClaims(platform, realm), teeClass: 'cpu' }]
    },
  }
}
