import { createHash } from 'node:crypto'
import { VerificationError, type VerificationErrorCode } from '../verifier.ts'
import { parseCaCertificate, parseCsvCertificate, USAGE, type HygonCertificate } from './hygon-cert.ts'
import { prepareSm2Key, sm2IdentityHash, verifySm2, type PreparedSm2Key } from './sm2-verify.ts'

/** A certificate whose key signs the next link: its prepared SM2 key and its identity hash Z. */
export interface Sm2Signer {
  readonly cert: HygonCertificate
  readonly key: PreparedSm2Key
  readonly identity: Uint8Array
}

/**
 * Whether `issuer` signed `subject` (csv-rs `Verifiable` for certificate pairs): a signature slot
 * whose usage and algorithm are the issuer key's, over the subject's body, with the issuer's
 * distinguishing ID. A CA subject (HSK, or the HRK itself) is signed only by an HRK, and its `sid`
 * must name the issuer's `kid`.
 */
export function verifyCertificateSignature(issuer: Sm2Signer, subject: HygonCertificate): boolean {
  if (subject.format === 'ca') {
    const kid = issuer.cert.kid
    if (issuer.cert.usage !== USAGE.HRK || kid === undefined || !Buffer.from(kid).equals(subject.sid)) return false
  }
  return subject.signatures.some(
    (sig) =>
      sig.usage === issuer.cert.usage &&
      sig.algo === issuer.cert.algo &&
      verifySm2(issuer.key, issuer.identity, subject.body, sig.r, sig.s),
  )
}

function signerOf(cert: HygonCertificate, role: string, code: VerificationErrorCode, precompute = false): Sm2Signer {
  try {
    return {
      cert,
      key: prepareSm2Key(cert.publicKey, precompute),
      identity: sm2IdentityHash(cert.publicKey, cert.userId),
    }
  } catch (cause) {
    throw new VerificationError(code, `hygon: the ${role} public key is not an SM2 point`, { cause })
  }
}

function requireUsage(cert: HygonCertificate, usage: number, role: string): void {
  if (cert.usage !== usage) {
    throw new VerificationError('CERT_CHAIN_INVALID', `hygon: the ${role} has usage 0x${cert.usage.toString(16)}`)
  }
}

/** Where the HSK and CEK came from: their faults are the evidence's or the collateral's. */
export type HskCekOrigin = 'evidence' | 'collateral'

/**
 * HRK → HSK → CEK (a Hygon chip's endorsement, shared by CSV and DCU). An HSK that names another key
 * than the pinned HRK is CERT_UNTRUSTED_ROOT; a signature that does not verify, or a certificate in
 * the wrong role, CERT_CHAIN_INVALID. Returns the CEK as the next signer (precomputed on request:
 * a DCU's CEK signs each of its reports).
 */
export function verifyCekChain(
  hrk: Sm2Signer,
  hskBytes: Uint8Array,
  cekBytes: Uint8Array,
  origin: HskCekOrigin,
  precomputeCek = false,
): Sm2Signer {
  const code: VerificationErrorCode = origin === 'evidence' ? 'EVIDENCE_MALFORMED' : 'COLLATERAL_INVALID'
  const hsk = parseCaCertificate(hskBytes, `${origin} HSK`, code)
  const cek = parseCsvCertificate(cekBytes, `${origin} CEK`, code)
  const hrkKid = hrk.cert.kid ?? new Uint8Array()
  if (!Buffer.from(hsk.sid).equals(hrkKid)) {
    throw new VerificationError(
      'CERT_UNTRUSTED_ROOT',
      `hygon: the HSK is issued by key ${Buffer.from(hsk.sid).toString('hex')}, not the pinned HRK ${Buffer.from(hrkKid).toString('hex')}`,
    )
  }
  requireUsage(hsk, USAGE.HSK, 'HSK')
  requireUsage(cek, USAGE.CEK, 'CEK')
  if (!verifyCertificateSignature(hrk, hsk)) {
    throw new VerificationError('CERT_CHAIN_INVALID', 'hygon: the HSK signature does not verify with the HRK')
  }
  const hskSigner = signerOf(hsk, 'HSK', code)
  if (!verifyCertificateSignature(hskSigner, cek)) {
    throw new VerificationError('CERT_CHAIN_INVALID', 'hygon: the CEK signature does not verify with the HSK')
  }
  return signerOf(cek, 'CEK', code, precomputeCek)
}

/** HRK → HSK → CEK → PEK (`verifyCekChain`, then the PEK). Returns the PEK as the report's signer. */
export function verifyCsvChain(
  hrk: Sm2Signer,
  hskBytes: Uint8Array,
  cekBytes: Uint8Array,
  pekBytes: Uint8Array,
  origin: HskCekOrigin,
): Sm2Signer {
  const pek = parseCsvCertificate(pekBytes, 'csv evidence PEK', 'EVIDENCE_MALFORMED')
  requireUsage(pek, USAGE.PEK, 'PEK')
  const cekSigner = verifyCekChain(hrk, hskBytes, cekBytes, origin)
  if (!verifyCertificateSignature(cekSigner, pek)) {
    throw new VerificationError('CERT_CHAIN_INVALID', 'csv: the PEK signature does not verify with the CEK')
  }
  // The PEK signs every report of this guest: its point is precomputed once, here.
  return signerOf(pek, 'PEK', 'EVIDENCE_MALFORMED', true)
}

/**
 * Verified chains by content (HSK, CEK, PEK), per verifier: a guest sends the same PEK with every
 * report, so its three chain signatures are checked once. Bounded; cleared when full.
 */
export class CsvChainCache {
  readonly #entries = new Map<string, Sm2Signer>()
  readonly #limit: number

  constructor(limit = 64) {
    this.#limit = limit
  }

  static key(...parts: readonly Uint8Array[]): string {
    const hash = createHash('sha256')
    for (const part of parts) hash.update(part)
    return hash.digest('hex')
  }

  get(key: string): Sm2Signer | undefined {
    return this.#entries.get(key)
  }

  set(key: string, signer: Sm2Signer): void {
    if (this.#entries.size >= this.#limit) this.#entries.clear()
    this.#entries.set(key, signer)
  }
}
