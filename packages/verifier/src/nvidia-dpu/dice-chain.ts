import { verify, type KeyObject } from 'node:crypto'
import { SignatureOid } from '../pkix/signature-algorithm.ts'
import { derOid, DerCursor, DerTag, readDer } from '../pkix/der.ts'
import { VerificationError } from '../verifier.ts'
import type { DiceCertificate } from './dice-certificate.ts'

/** How old (since its notBefore) an Alias certificate may be: upstream's default, one hour. */
export const DEFAULT_MAX_CERT_AGE_SECS = 3600

/** The DPU's DICE chain as it arrived. */
export interface DiceChain {
  readonly deviceId: DiceCertificate
  readonly alias: DiceCertificate
}

function signedWithSha384(cert: DiceCertificate, key: KeyObject): boolean {
  const algorithm = new DerCursor(readDer(cert.parsed.signatureAlgorithm, 'CERT_CHAIN_INVALID'), DerTag.sequence)
  if (derOid(algorithm.next(DerTag.objectIdentifier, 'algorithm')) !== SignatureOid.ecdsaWithSha384) {
    throw new VerificationError(
      'CERT_CHAIN_INVALID',
      'nvidia-dpu: a DICE certificate is not signed with ecdsa-with-SHA384',
    )
  }
  try {
    return verify('sha384', cert.parsed.tbs, { key, dsaEncoding: 'der' }, cert.parsed.signature)
  } catch {
    return false
  }
}

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000)

/**
 * Root CA → DeviceID → Alias, as upstream: the Alias certificate is signed by the DeviceID key
 * (`CERT_CHAIN_INVALID`), the DeviceID certificate by the configured root CA's key
 * (`CERT_UNTRUSTED_ROOT`); the DeviceID certificate is within its validity at `at`, and the Alias
 * certificate — issued per boot/session — was issued (notBefore) at most `maxCertAgeSecs` before
 * `at` and not after it (`CERT_EXPIRED`). Stricter than upstream: the Alias notAfter is honoured too.
 */
export function verifyDiceChain(chain: DiceChain, rootKey: KeyObject, at: Date, maxCertAgeSecs: number): void {
  if (!signedWithSha384(chain.alias, chain.deviceId.publicKey)) {
    throw new VerificationError(
      'CERT_CHAIN_INVALID',
      'nvidia-dpu: the Alias certificate is not signed by the DeviceID key',
    )
  }
  if (!signedWithSha384(chain.deviceId, rootKey)) {
    throw new VerificationError(
      'CERT_UNTRUSTED_ROOT',
      'nvidia-dpu: the DeviceID certificate is not signed by the configured root CA',
    )
  }
  const now = seconds(at)
  const deviceId = chain.deviceId.parsed
  if (now < seconds(deviceId.notBefore) || now > seconds(deviceId.notAfter)) {
    throw new VerificationError(
      'CERT_EXPIRED',
      `nvidia-dpu: the DeviceID certificate is valid ${deviceId.notBefore.toISOString()}..${deviceId.notAfter.toISOString()}, not at ${at.toISOString()}`,
    )
  }
  const issued = seconds(chain.alias.parsed.notBefore)
  if (now < issued || now - issued > maxCertAgeSecs) {
    throw new VerificationError(
      'CERT_EXPIRED',
      `nvidia-dpu: the Alias certificate was issued ${chain.alias.parsed.notBefore.toISOString()}; at ${at.toISOString()} its age must be 0..${String(maxCertAgeSecs)} s`,
    )
  }
  if (now > seconds(chain.alias.parsed.notAfter)) {
    throw new VerificationError(
      'CERT_EXPIRED',
      `nvidia-dpu: the Alias certificate expired ${chain.alias.parsed.notAfter.toISOString()}`,
    )
  }
}
