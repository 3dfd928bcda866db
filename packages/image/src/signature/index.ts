export { SignatureError, type SignatureErrorCode } from './signature-error.ts'
export type {
  FulcioConfig,
  GpgKeyType,
  KeyReference,
  PkiConfig,
  Policy,
  PolicyRequirement,
  SignedByRequirement,
  SignedIdentity,
  SigstoreSignedRequirement,
} from './policy-types.ts'
export { loadPolicy, parsePolicy, POLICY_SIZE_LIMIT } from './policy-parse.ts'
export { policyScopesFor, requirementsFor, type PolicyScopes } from './policy-scope.ts'
export { signedIdentityMatches } from './signed-identity-match.ts'
export {
  manifestMatchesDigest,
  parseSignaturePayload,
  serializeSignaturePayload,
  SIGSTORE_PAYLOAD_TYPE,
  SIMPLE_SIGNING_TYPE,
  type SignaturePayload,
} from './signature-payload.ts'
export { loadKeyBytes, type FetchResource, type KeySourceOptions } from './key-source.ts'
export { parseSigstorePublicKey, verifySigstoreSignature } from './sigstore-public-key.ts'
export { readGpgKeyring, verifyGpgSignedMessage, type VerifiedGpgMessage } from './gpg-signed-message.ts'
export {
  COSIGN_SIGNATURE_ANNOTATION,
  COSIGN_SIMPLESIGNING_MEDIA_TYPE,
  readSigstoreAttachments,
  sigstoreAttachmentTag,
  type SigstoreSignature,
} from './sigstore-attachments.ts'
export {
  createLookasideReader,
  lookasideSignatureUrl,
  MAX_LOOKASIDE_SIGNATURES,
  readLookasideSignatures,
  type LookasideReader,
} from './lookaside.ts'
export {
  loadRegistriesD,
  lookasideFor,
  parseRegistriesD,
  useSigstoreAttachments,
  type RegistriesConfig,
  type RegistryNamespace,
} from './registries-d.ts'
export type { AcceptedSignature } from './signature-candidates.ts'
export { evaluatePolicy, type ImageUnderPolicy, type PolicyContext, type PolicyDecision } from './policy-evaluate.ts'
export { readSigningKey } from './cosign-private-key.ts'
export { signImage, type SignImageOptions, type SignImageResult } from './sign-image.ts'
export {
  defaultLookaside,
  defaultPolicyPath,
  defaultRegistriesDir,
  type ContainersEnvironment,
} from './containers-paths.ts'
