import type { KeyObject } from 'node:crypto'
import { loadKeyBytes, type KeySourceOptions } from './key-source.ts'
import type { SigstoreSignedRequirement } from './policy-types.ts'
import { checkVerifiedPayload, noAcceptedSignature, type SignatureTarget } from './signature-check.ts'
import type { AcceptedSignature } from './signature-candidates.ts'
import { SignatureError } from './signature-error.ts'
import { SIGSTORE_PAYLOAD_TYPE } from './signature-payload.ts'
import {
  COSIGN_SIGNATURE_ANNOTATION,
  COSIGN_SIMPLESIGNING_MEDIA_TYPE,
  type SigstoreSignature,
} from './sigstore-attachments.ts'
import { parseSigstorePublicKey, verifySigstoreSignature } from './sigstore-public-key.ts'

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** Loads the requirement's public keys; fulcio, pki and rekor are refused as UNSUPPORTED. */
export async function loadSigstoreKeys(
  req: SigstoreSignedRequirement,
  options: KeySourceOptions,
): Promise<KeyObject[]> {
  if (req.fulcio !== undefined)
    throw new SignatureError('UNSUPPORTED', 'sigstoreSigned: fulcio (keyless) verification is not supported')
  if (req.pki !== undefined)
    throw new SignatureError('UNSUPPORTED', 'sigstoreSigned: pki (X.509 CA) verification is not supported')
  if (req.rekorPublicKeys !== undefined) {
    throw new SignatureError('UNSUPPORTED', 'sigstoreSigned: rekor (transparency log) verification is not supported')
  }
  const keys: KeyObject[] = []
  for (const [i, ref] of (req.keys ?? []).entries()) {
    const what = `sigstoreSigned key ${'path' in ref ? ref.path : `keyData[${i}]`}`
    keys.push(parseSigstorePublicKey(await loadKeyBytes(ref, options, what), what))
  }
  if (keys.length === 0) throw new SignatureError('INVALID_KEY', 'sigstoreSigned: no public keys')
  return keys
}

/** One signature: crypto with any of the keys, then payload, digest, identity. */
function checkOne(sig: SigstoreSignature, keys: readonly KeyObject[], target: SignatureTarget): AcceptedSignature {
  const b64 = sig.annotations[COSIGN_SIGNATURE_ANNOTATION]
  if (b64 === undefined)
    throw new SignatureError('INVALID_SIGNATURE', `sigstore signature has no ${COSIGN_SIGNATURE_ANNOTATION} annotation`)
  if (!BASE64.test(b64))
    throw new SignatureError('INVALID_SIGNATURE', `sigstore signature annotation is not valid base64`)
  const signature = Buffer.from(b64, 'base64')
  if (!keys.some((key) => verifySigstoreSignature(key, sig.payload, signature))) {
    // sigstore's ECDSA verifier words its failure this way; skopeo users will recognize it.
    const detail = keys.every((k) => k.asymmetricKeyType === 'ec') ? ' when validating ASN.1 encoded signature' : ''
    throw new SignatureError(
      'INVALID_SIGNATURE',
      `cryptographic signature verification failed: invalid signature${detail}`,
    )
  }
  const payload = checkVerifiedPayload(sig.payload, SIGSTORE_PAYLOAD_TYPE, target)
  return { format: 'sigstore', dockerReference: payload.dockerReference, manifestDigest: payload.manifestDigest }
}

/** Satisfied when ANY sigstore signature is accepted; otherwise throws the summarized rejection. */
export function evaluateSigstoreSigned(
  signatures: readonly SigstoreSignature[],
  keys: readonly KeyObject[],
  target: SignatureTarget,
): AcceptedSignature {
  const rejections: Error[] = []
  for (const sig of signatures) {
    if (sig.mimeType !== COSIGN_SIMPLESIGNING_MEDIA_TYPE) continue
    try {
      return checkOne(sig, keys, target)
    } catch (e) {
      if (!(e instanceof SignatureError)) throw e
      rejections.push(e)
    }
  }
  throw noAcceptedSignature(rejections)
}
