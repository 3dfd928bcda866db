import type * as openpgp from 'openpgp'
import { readGpgKeyring, verifyGpgSignedMessage } from './gpg-signed-message.ts'
import { loadKeyBytes, type KeySourceOptions } from './key-source.ts'
import type { SignedByRequirement } from './policy-types.ts'
import { checkVerifiedPayload, noAcceptedSignature, type SignatureTarget } from './signature-check.ts'
import type { AcceptedSignature } from './signature-candidates.ts'
import { SignatureError } from './signature-error.ts'
import { SIMPLE_SIGNING_TYPE } from './signature-payload.ts'

/** Loads and merges the requirement's GPG keyrings; only keyType GPGKeys is implemented. */
export async function loadSignedByKeyring(req: SignedByRequirement, options: KeySourceOptions): Promise<openpgp.Key[]> {
  if (req.keyType !== 'GPGKeys')
    throw new SignatureError('UNSUPPORTED', `Unimplemented "keyType" value ${JSON.stringify(req.keyType)}`)
  const keys: openpgp.Key[] = []
  for (const [i, ref] of req.keys.entries()) {
    const what = `signedBy keyring ${'path' in ref ? ref.path : `keyData[${i}]`}`
    keys.push(...(await readGpgKeyring(await loadKeyBytes(ref, options, what), what)))
  }
  if (keys.length === 0) throw new SignatureError('INVALID_KEY', 'No public keys imported')
  return keys
}

/** Satisfied when ANY lookaside signature is by a keyring key and passes payload, digest and identity checks. */
export async function evaluateSignedBy(
  signatures: readonly Buffer[],
  keyring: readonly openpgp.Key[],
  target: SignatureTarget,
  date: Date,
): Promise<AcceptedSignature> {
  const rejections: Error[] = []
  for (const blob of signatures) {
    try {
      const verified = await verifyGpgSignedMessage(blob, keyring, date)
      const payload = checkVerifiedPayload(verified.payload, SIMPLE_SIGNING_TYPE, target)
      return {
        format: 'simple-signing',
        dockerReference: payload.dockerReference,
        manifestDigest: payload.manifestDigest,
        signerFingerprint: verified.signerFingerprint,
      }
    } catch (e) {
      if (!(e instanceof SignatureError)) throw e
      rejections.push(e)
    }
  }
  throw noAcceptedSignature(rejections)
}
