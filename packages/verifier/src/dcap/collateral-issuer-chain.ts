import { X509Certificate, verify } from 'node:crypto'
import { basicConstraints, keyUsageAllows, KeyUsageBit } from '../pkix/standard-extensions.ts'
import { VerificationError } from '../verifier.ts'
import { validAt } from './cert-validity.ts'

/** How collateral signatures are anchored. */
export interface IntelCollateralTrust {
  /** The pinned Intel SGX Root CA. A chain ending at a certificate with another key is untrusted. */
  readonly root: X509Certificate
  /**
   * Serial numbers (upper-case hex, as `X509Certificate.serialNumber` spells them) on the Intel root
   * CA CRL, which the caller has verified against the root and judged current; absent: not checked.
   */
  readonly rootCrlRevokedSerials?: ReadonlySet<string>
}

const SIGNING_CN = 'Intel SGX TCB Signing'

function parseChain(pem: string, what: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
  if (blocks.length === 0) throw new VerificationError('CERT_CHAIN_INVALID', `${what} issuer chain has no certificate`)
  try {
    return blocks.map((b) => new X509Certificate(b))
  } catch {
    throw new VerificationError('CERT_CHAIN_INVALID', `${what} issuer chain has a malformed certificate`)
  }
}

function sameKey(a: X509Certificate, b: X509Certificate): boolean {
  const ka = a.publicKey.export({ type: 'spki', format: 'der' })
  const kb = b.publicKey.export({ type: 'spki', format: 'der' })
  return ka.equals(kb)
}

function checkValidity(cert: X509Certificate, at: Date, what: string): void {
  if (!validAt(cert, at)) {
    throw new VerificationError(
      'CERT_EXPIRED',
      `${what} certificate "${cert.subject.replace(/\n/g, ', ')}" is not valid at ${at.toISOString()} (${cert.validFrom} – ${cert.validTo})`,
    )
  }
}

/**
 * Checks a `TCB-Info-Issuer-Chain` / `SGX-Enclave-Identity-Issuer-Chain` (PEM, leaf first): the leaf
 * is Intel's TCB Signing certificate, each certificate is signed by the next, the chain ends at the
 * pinned root (compared by key: Intel re-issued the root with the same key), every certificate is
 * valid at `at`, and the leaf is not on the root CA CRL. Returns the TCB Signing certificate.
 */
export function verifyCollateralIssuerChain(
  chainPem: string,
  trust: IntelCollateralTrust,
  at: Date,
  what: string,
): X509Certificate {
  const { chain, signingLeaf, leafSerial } = signedChain(chainPem, trust, what)
  for (const cert of chain) checkValidity(cert, at, what)
  const leaf = chain[0] as X509Certificate
  if (!signingLeaf) {
    throw new VerificationError(
      'CERT_CHAIN_INVALID',
      `${what} is not signed by the ${SIGNING_CN} certificate under the root`,
    )
  }
  if (trust.rootCrlRevokedSerials?.has(leafSerial) === true) {
    throw new VerificationError('CERT_REVOKED', `${what}: the ${SIGNING_CN} certificate is on the root CA CRL`)
  }
  return leaf
}

interface SignedChain {
  readonly chain: readonly X509Certificate[]
  /** Two certificates, the first Intel's TCB Signing certificate. */
  readonly signingLeaf: boolean
  /** The leaf's serial as the root CA CRL set spells it (upper-case hex). */
  readonly leafSerial: string
}

/**
 * Chains whose signatures were checked, per root and exact PEM text: the time-independent part, done
 * once per chain. Two levels, so the lookup hashes the served string (V8 keeps a string's hash) rather
 * than a new concatenation on every call.
 */
const signedChains = new Map<string, Map<string, SignedChain>>()
const CACHE_LIMIT = 64

function signedChain(chainPem: string, trust: IntelCollateralTrust, what: string): SignedChain {
  const rootKey = trust.root.fingerprint256
  const cached = signedChains.get(rootKey)?.get(chainPem)
  if (cached !== undefined) return cached
  const chain = parseChain(chainPem, what)
  const last = chain[chain.length - 1]
  if (last === undefined) throw new VerificationError('CERT_CHAIN_INVALID', `${what} issuer chain is empty`)
  if (last.checkIssued(last) && last.verify(last.publicKey)) {
    if (!sameKey(last, trust.root)) {
      throw new VerificationError('CERT_UNTRUSTED_ROOT', `${what} issuer chain ends at a root that is not Intel's`)
    }
  } else {
    chain.push(trust.root)
  }
  for (let i = 0; i + 1 < chain.length; i++) {
    const cert = chain[i] as X509Certificate
    const issuer = chain[i + 1] as X509Certificate
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) {
      throw new VerificationError(
        'CERT_CHAIN_INVALID',
        `${what} issuer chain: certificate ${String(i)} is not signed by the next`,
      )
    }
    if (basicConstraints(issuer)?.ca !== true || !keyUsageAllows(issuer, KeyUsageBit.keyCertSign)) {
      throw new VerificationError(
        'CERT_CHAIN_INVALID',
        `${what} issuer chain: certificate ${String(i + 1)} is not a CA`,
      )
    }
  }
  const leaf = chain[0] as X509Certificate
  if (basicConstraints(leaf)?.ca === true || !keyUsageAllows(leaf, KeyUsageBit.digitalSignature)) {
    throw new VerificationError('CERT_CHAIN_INVALID', `${what}: the signing certificate may not sign data`)
  }
  const signed = {
    chain,
    leafSerial: leaf.serialNumber.toUpperCase(),
    signingLeaf: chain.length === 2 && leaf.subject.split('\n').includes(`CN=${SIGNING_CN}`),
  }
  let perRoot = signedChains.get(rootKey)
  if (perRoot === undefined || perRoot.size >= CACHE_LIMIT) {
    if (perRoot === undefined && signedChains.size >= CACHE_LIMIT) signedChains.clear()
    perRoot = new Map()
    signedChains.set(rootKey, perRoot)
  }
  perRoot.set(chainPem, signed)
  return signed
}

/** ECDSA-P256/SHA-256 over the exact served bytes; the signature is r ‖ s. */
export function verifyCollateralSignature(
  signedBytes: Uint8Array,
  signature: Uint8Array,
  signingCert: X509Certificate,
  what: string,
): void {
  const ok = verify('sha256', signedBytes, { key: signingCert.publicKey, dsaEncoding: 'ieee-p1363' }, signature)
  if (!ok) throw new VerificationError('COLLATERAL_INVALID', `${what} signature does not verify`)
}
