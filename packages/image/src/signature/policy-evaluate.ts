import { sha256Digest } from '../manifest/digest.ts'
import type { ImageSource, RawManifest } from '../manifest/image-transport.ts'
import { formatImageReference, type ImageReference } from '../reference/image-reference.ts'
import type { KeySourceOptions } from './key-source.ts'
import { createLookasideReader, readLookasideSignatures, type LookasideReader } from './lookaside.ts'
import { policyScopesFor, requirementsFor } from './policy-scope.ts'
import type { Policy, PolicyRequirement, SignedByRequirement, SigstoreSignedRequirement } from './policy-types.ts'
import type { SignatureTarget } from './signature-check.ts'
import { lookasideFor, useSigstoreAttachments, type RegistriesConfig } from './registries-d.ts'
import { evaluateSignedBy, loadSignedByKeyring } from './requirement-signed-by.ts'
import { evaluateSigstoreSigned, loadSigstoreKeys } from './requirement-sigstore.ts'
import type { AcceptedSignature, SignatureCandidates } from './signature-candidates.ts'
import { SignatureError } from './signature-error.ts'
import { manifestMatchesDigest } from './signature-payload.ts'
import { readSigstoreAttachments } from './sigstore-attachments.ts'

export interface PolicyContext extends KeySourceOptions {
  readonly policy: Policy
  /** Where docker images' signatures live (registries.d); absent = no attachments, default lookaside only. */
  readonly registries?: RegistriesConfig
  /**
   * Lookaside base used for docker images when registries.d names none (containers/image:
   * `file:///var/lib/containers/sigstore` for root). Undefined: no lookaside then.
   */
  readonly defaultLookaside?: string
  /** Reads lookaside URLs (default: files and global fetch). */
  readonly lookasideReader?: LookasideReader
  /** Clock for GPG signature/key validity (default: now). */
  readonly now?: () => Date
}

/** The image whose use the policy must allow. */
export interface ImageUnderPolicy {
  /** What the user asked for: selects the policy scope and is the identity signatures must match. */
  readonly reference: ImageReference
  /** Where the manifest came from and where sigstore attachments are read (same repository/layout). */
  readonly source: ImageSource
  /** The manifest exactly as fetched (an index for multi-arch images): signatures name its digest. */
  readonly manifest: RawManifest
}

export interface PolicyDecision {
  /** The scope whose requirements applied (`default`, `docker default`, or the scope string). */
  readonly scope: string
  readonly requirements: readonly PolicyRequirement[]
  /** One entry per signature-based requirement: the signature that satisfied it. */
  readonly accepted: readonly AcceptedSignature[]
}

/**
 * Evaluates policy.json for an image: the first matching scope's requirements must ALL allow it;
 * each signature requirement is met by ANY acceptable signature. Resolves with what was accepted,
 * or throws a SignatureError (REJECTED, NO_SIGNATURE, INVALID_SIGNATURE, DIGEST_MISMATCH,
 * IDENTITY_MISMATCH, NO_ACCEPTED_SIGNATURE, INVALID_KEY, UNSUPPORTED, SIGNATURE_SOURCE).
 */
export async function evaluatePolicy(ctx: PolicyContext, image: ImageUnderPolicy): Promise<PolicyDecision> {
  const { scope, requirements } = requirementsFor(ctx.policy, await policyScopesFor(image.reference))
  const ref = image.reference
  if (
    ref.transport === 'docker' &&
    ref.ref.digest !== undefined &&
    !manifestMatchesDigest(image.manifest.bytes, ref.ref.digest)
  ) {
    throw new SignatureError('DIGEST_MISMATCH', `manifest of ${formatImageReference(ref)} does not match its digest`)
  }
  const manifestDigest = sha256Digest(image.manifest.bytes)
  let candidates: Promise<SignatureCandidates> | undefined
  const signatures = (): Promise<SignatureCandidates> => (candidates ??= readCandidates(ctx, image, manifestDigest))
  const target = (req: SignedByRequirement | SigstoreSignedRequirement): SignatureTarget => ({
    manifest: image.manifest.bytes,
    intended: ref.transport === 'docker' ? ref.ref : undefined,
    signedIdentity: req.signedIdentity,
  })
  const accepted: AcceptedSignature[] = []
  for (const req of requirements) {
    switch (req.type) {
      case 'insecureAcceptAnything':
        break
      case 'reject':
        throw new SignatureError('REJECTED', `Running image ${formatImageReference(ref)} is rejected by policy.`)
      case 'signedBy': {
        const keyring = await loadSignedByKeyring(req, ctx)
        const sigs = (await signatures()).simpleSigning
        accepted.push(await evaluateSignedBy(sigs, keyring, target(req), ctx.now?.() ?? new Date()))
        break
      }
      case 'sigstoreSigned': {
        const keys = await loadSigstoreKeys(req, ctx)
        accepted.push(evaluateSigstoreSigned((await signatures()).sigstore, keys, target(req)))
        break
      }
      case 'signedBaseLayer':
        throw new SignatureError('UNSUPPORTED', 'signedBaseLayer not implemented yet!')
    }
  }
  return { scope, requirements, accepted }
}

/**
 * docker: lookaside (registries.d, else the default) then sigstore attachments when registries.d
 * enables them; oci: layouts keep cosign attachments in their own index, so those are always read.
 */
async function readCandidates(
  ctx: PolicyContext,
  image: ImageUnderPolicy,
  manifestDigest: string,
): Promise<SignatureCandidates> {
  const ref = image.reference
  if (ref.transport === 'oci') {
    return { simpleSigning: [], sigstore: await readSigstoreAttachments(image.source, manifestDigest) }
  }
  const registries = ctx.registries ?? { docker: new Map() }
  const base = lookasideFor(registries, ref.ref) ?? ctx.defaultLookaside
  const simpleSigning =
    base === undefined
      ? []
      : await readLookasideSignatures(base, ref.ref, manifestDigest, ctx.lookasideReader ?? createLookasideReader())
  const sigstore = useSigstoreAttachments(registries, ref.ref)
    ? await readSigstoreAttachments(image.source, manifestDigest)
    : []
  return { simpleSigning, sigstore }
}
