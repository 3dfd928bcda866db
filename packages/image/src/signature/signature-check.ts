import type { DockerReference } from '../reference/docker-reference.ts'
import type { SignedIdentity } from './policy-types.ts'
import { SignatureError } from './signature-error.ts'
import { manifestMatchesDigest, parseSignaturePayload, type SignaturePayload } from './signature-payload.ts'
import { signedIdentityMatches } from './signed-identity-match.ts'

/** What every signature is checked against once its cryptography has verified. */
export interface SignatureTarget {
  /** The raw manifest bytes as fetched. */
  readonly manifest: Uint8Array
  /** The docker reference the caller intends to run; undefined for oci: layouts. */
  readonly intended: DockerReference | undefined
  readonly signedIdentity: SignedIdentity
}

/**
 * The checks after the crypto, in containers/image's order: strict payload parse, the signed digest
 * against the raw manifest bytes, then the identity rule.
 */
export function checkVerifiedPayload(
  payload: Uint8Array,
  payloadType: string,
  target: SignatureTarget,
): SignaturePayload {
  const parsed = parseSignaturePayload(payload, payloadType)
  if (!manifestMatchesDigest(target.manifest, parsed.manifestDigest)) {
    throw new SignatureError('DIGEST_MISMATCH', `Signature for digest ${parsed.manifestDigest} does not match`)
  }
  if (!signedIdentityMatches(target.signedIdentity, target.intended, parsed.dockerReference)) {
    throw new SignatureError('IDENTITY_MISMATCH', `Signature for identity ${parsed.dockerReference} is not accepted`)
  }
  return parsed
}

/** Summarizes per-signature rejections as containers/image does. */
export function noAcceptedSignature(rejections: readonly Error[]): SignatureError {
  const [only] = rejections
  if (only === undefined) return new SignatureError('NO_SIGNATURE', 'A signature was required, but no signature exists')
  if (rejections.length === 1) {
    return only instanceof SignatureError
      ? only
      : new SignatureError('INVALID_SIGNATURE', only.message, { cause: only })
  }
  return new SignatureError(
    'NO_ACCEPTED_SIGNATURE',
    `None of the signatures were accepted, reasons: ${rejections.map((r) => r.message).join('; ')}`,
  )
}
