import { readFileSync } from 'node:fs'
import { VerificationError } from '../verifier.ts'
import { parseCaCertificate, USAGE, type HygonCertificate } from './hygon-cert.ts'
import { verifyCertificateSignature } from './csv-chain.ts'
import { prepareSm2Key, sm2IdentityHash } from './sm2-verify.ts'
import type { Sm2Signer } from './csv-chain.ts'

/** The shipped Hygon Root Key certificate (packages/verifier/roots/hygon-hrk.cert). */
const PINNED_HRK_URL = new URL('../../roots/hygon-hrk.cert', import.meta.url)

export function pinnedHrkBytes(): Uint8Array {
  return new Uint8Array(readFileSync(PINNED_HRK_URL))
}

/**
 * The trust anchor of CSV chains: an HRK (usage HRK, self-signed, its self-signature verified here).
 * A broken anchor is COLLATERAL_INVALID: the fault is in the configuration, not in the evidence.
 */
export function hygonRootSigner(bytes: Uint8Array): Sm2Signer {
  let cert: HygonCertificate
  try {
    cert = parseCaCertificate(bytes, 'the HRK', 'COLLATERAL_INVALID')
  } catch (cause) {
    if (cause instanceof VerificationError) throw cause
    throw new VerificationError('COLLATERAL_INVALID', 'the HRK does not parse', { cause })
  }
  if (cert.usage !== USAGE.HRK) throw new VerificationError('COLLATERAL_INVALID', 'the HRK certificate is not an HRK')
  let signer: Sm2Signer
  try {
    signer = { cert, key: prepareSm2Key(cert.publicKey), identity: sm2IdentityHash(cert.publicKey, cert.userId) }
  } catch (cause) {
    throw new VerificationError('COLLATERAL_INVALID', 'the HRK public key is not an SM2 point', { cause })
  }
  if (!verifyCertificateSignature(signer, cert)) {
    throw new VerificationError('COLLATERAL_INVALID', 'the HRK self-signature does not verify')
  }
  return signer
}
