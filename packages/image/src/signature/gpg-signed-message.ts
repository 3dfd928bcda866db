import type * as openpgp from 'openpgp'
import { SignatureError } from './signature-error.ts'

// Loaded on first use: openpgp is large (~17 MiB, 0.2 s to import) and only `signedBy` needs it.
let loaded: Promise<typeof openpgp> | undefined
const openpgpModule = (): Promise<typeof openpgp> => (loaded ??= import('openpgp'))

/** Reads a GPG keyring (binary `gpg --export` or ASCII-armored), possibly several keys. */
export async function readGpgKeyring(bytes: Uint8Array, what: string): Promise<openpgp.Key[]> {
  const text = Buffer.from(bytes.subarray(0, 64)).toString('latin1')
  const pgp = await openpgpModule()
  try {
    const keys = text.trimStart().startsWith('-----BEGIN PGP')
      ? await pgp.readKeys({ armoredKeys: Buffer.from(bytes).toString('utf8') })
      : await pgp.readKeys({ binaryKeys: bytes })
    if (keys.length === 0) throw new Error('no keys')
    return keys
  } catch (e) {
    throw new SignatureError('INVALID_KEY', `${what}: not a usable GPG keyring: ${(e as Error).message}`, { cause: e })
  }
}

export interface VerifiedGpgMessage {
  /** The literal data: the simple-signing payload bytes. */
  readonly payload: Uint8Array
  /** Uppercase hex fingerprint of the keyring's primary key that made (or owns the subkey that made) the signature. */
  readonly signerFingerprint: string
}

/**
 * Verifies an OpenPGP signed message (compressed → one-pass signature, literal data, signature), as
 * skopeo `--sign-by` writes it: exactly one signature, made by a key of the keyring, valid (and the
 * key unexpired, unrevoked) at `date`. Returns the signed bytes only after that succeeded.
 */
export async function verifyGpgSignedMessage(
  blob: Uint8Array,
  keyring: readonly openpgp.Key[],
  date: Date,
): Promise<VerifiedGpgMessage> {
  const pgp = await openpgpModule()
  let message: openpgp.Message<Uint8Array>
  try {
    message = await pgp.readMessage({ binaryMessage: blob })
  } catch (e) {
    throw new SignatureError(
      'INVALID_SIGNATURE',
      `Invalid GPG signature: not an OpenPGP message: ${(e as Error).message}`,
      {
        cause: e,
      },
    )
  }
  let result: { data: unknown; signatures: openpgp.VerifyMessageResult['signatures'] }
  try {
    result = await pgp.verify({ message, verificationKeys: [...keyring], date, format: 'binary' })
  } catch (e) {
    throw new SignatureError('INVALID_SIGNATURE', `Invalid GPG signature: ${(e as Error).message}`, { cause: e })
  }
  if (result.signatures.length !== 1) {
    throw new SignatureError('INVALID_SIGNATURE', `Unexpected GPG signature count ${result.signatures.length}`)
  }
  const sig = result.signatures[0] as (typeof result.signatures)[number]
  const keyID = sig.keyID
  const signer = keyring.find((k) => k.getKeys(keyID).length > 0)
  if (signer === undefined) {
    throw new SignatureError('INVALID_SIGNATURE', `Signature by key ${keyID.toHex().toUpperCase()} is not accepted`)
  }
  try {
    await sig.verified
  } catch (e) {
    throw new SignatureError('INVALID_SIGNATURE', `Invalid GPG signature: ${(e as Error).message}`, { cause: e })
  }
  // verify() has consumed the stream only once the signature check is done; the data is now trusted.
  const payload = result.data
  if (!(payload instanceof Uint8Array))
    throw new SignatureError('INVALID_SIGNATURE', 'Invalid GPG signature: no literal data')
  return { payload, signerFingerprint: signer.getFingerprint().toUpperCase() }
}
