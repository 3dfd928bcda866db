import type { SigstoreSignature } from './sigstore-attachments.ts'

/** The signatures found for one image, by format; read once per evaluation, lazily. */
export interface SignatureCandidates {
  /** OpenPGP signed messages from the lookaside. */
  readonly simpleSigning: readonly Buffer[]
  /** cosign-convention layers from the `.sig` attachment (simple-signing media type only). */
  readonly sigstore: readonly SigstoreSignature[]
}

/** What an accepted signature established. */
export interface AcceptedSignature {
  readonly format: 'simple-signing' | 'sigstore'
  readonly dockerReference: string
  readonly manifestDigest: string
  /** GPG: the signer's primary-key fingerprint. */
  readonly signerFingerprint?: string
}
