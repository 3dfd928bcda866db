import { CocoError } from '@carapace/protocol'

export type SignatureErrorCode =
  /** policy.json (or a requirement in it) is not valid: syntax, unknown/duplicate fields, bad values. */
  | 'INVALID_POLICY'
  /** registries.d YAML that is not valid (syntax, unknown keys, duplicate scopes, bad URLs). */
  | 'INVALID_REGISTRIES_CONFIG'
  /** The policy rejects the image (a `reject` requirement). */
  | 'REJECTED'
  /** A signature-based requirement found no signature at all. */
  | 'NO_SIGNATURE'
  /** The cryptographic signature does not verify with any trusted key, or is not by a trusted key. */
  | 'INVALID_SIGNATURE'
  /** The signed payload is not a strictly valid simple-signing / sigstore payload. */
  | 'INVALID_PAYLOAD'
  /** The signed manifest digest is not the digest of the image's manifest. */
  | 'DIGEST_MISMATCH'
  /** The signed identity is not accepted by the requirement's signedIdentity rule. */
  | 'IDENTITY_MISMATCH'
  /** Several signatures were present and each was refused (the message lists the reasons). */
  | 'NO_ACCEPTED_SIGNATURE'
  /** A key (PEM public key, GPG keyring, private key) that cannot be read or used. */
  | 'INVALID_KEY'
  /** A feature the policy names that this implementation does not offer (fulcio, pki, rekor, X.509 keyTypes). */
  | 'UNSUPPORTED'
  /** Reading signatures failed (lookaside I/O, attachment manifest of the wrong type, oversized blobs). */
  | 'SIGNATURE_SOURCE'
  /** A caller argument is unusable. */
  | 'INVALID_ARGUMENT'

export class SignatureError extends CocoError<SignatureErrorCode> {}
