import { X509Certificate, type KeyObject } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import { certificateDer, parseCertificate, type CertificateInput, type ParsedCertificate } from './certificate.ts'
import {
  checkCrlCurrent,
  crlSignedBy,
  parseCrl,
  revocationOf,
  type CertificateRevocationList,
  type CrlInput,
} from './crl.ts'
import { bytesEqual } from './der.ts'
import { verifySignature } from './signature-algorithm.ts'
import {
  authorityKeyIdentifier,
  basicConstraints,
  ExtensionOid,
  keyUsageAllows,
  KeyUsageBit,
  subjectKeyIdentifier,
} from './standard-extensions.ts'

export interface CertificateChainOptions {
  readonly leaf: CertificateInput
  /** Candidate intermediates, in any order; unused ones are ignored. */
  readonly intermediates?: readonly CertificateInput[]
  /** The pinned roots. A certificate is the root if it equals one (DER), or has its key and subject. */
  readonly trustedRoots: readonly CertificateInput[]
  /** The time validity and CRL currency are judged at (`context.at ?? new Date()`, read once by the caller). */
  readonly at: Date
  /** CRLs; each applies to the certificates its issuer (by name, key id and signature) issued. Others are ignored. */
  readonly crls?: readonly (CertificateRevocationList | CrlInput)[]
  /**
   * Which certificates below the root must be covered by a CRL: `'none'` (default), `'all'`, or a
   * predicate (depth 0 = leaf). A required CRL that is missing is `COLLATERAL_UNAVAILABLE`.
   */
  readonly requireCrlFor?: 'none' | 'all' | ((certificate: X509Certificate, depth: number) => boolean)
  /** Critical extensions (dotted OIDs) the caller handles itself, besides the standard ones. */
  readonly allowedCriticalExtensions?: readonly string[]
  /** Longest path, root included (default 8). */
  readonly maxLength?: number
}

export interface VerifiedCertificateChain {
  /** Leaf first; the last element is the pinned root (the caller's object). */
  readonly path: readonly X509Certificate[]
  /** The CRLs that were checked against the path. */
  readonly crls: readonly CertificateRevocationList[]
}

/** Critical extensions this validation understands (name constraints and policies are not processed). */
const UNDERSTOOD_CRITICAL: ReadonlySet<string> = new Set([
  ExtensionOid.basicConstraints,
  ExtensionOid.keyUsage,
  ExtensionOid.extKeyUsage,
  ExtensionOid.subjectAltName,
  ExtensionOid.subjectKeyIdentifier,
  ExtensionOid.authorityKeyIdentifier,
  ExtensionOid.crlDistributionPoints,
  ExtensionOid.certificatePolicies,
])

interface Node {
  readonly x509: X509Certificate
  readonly parsed: ParsedCertificate
  readonly subject: string
}

const x509Cache = new WeakMap<object, X509Certificate>()
const keyCache = new WeakMap<X509Certificate, KeyObject>()

function chainError(message: string): VerificationError {
  return new VerificationError('CERT_CHAIN_INVALID', message)
}

function node(input: CertificateInput, role: string): Node {
  let x509 = input instanceof X509Certificate ? input : x509Cache.get(input)
  if (x509 === undefined) {
    try {
      x509 = new X509Certificate(certificateDer(input))
    } catch (error) {
      throw new VerificationError('CERT_CHAIN_INVALID', `${role} is not a certificate`, { cause: error })
    }
    x509Cache.set(input, x509)
  }
  const parsed = parseCertificate(x509, 'CERT_CHAIN_INVALID')
  const cert = x509
  return {
    x509,
    parsed,
    // Only error messages need it; node builds the string on every access.
    get subject() {
      return cert.subject.replace(/\n/g, ', ')
    },
  }
}

function publicKeyOf(x509: X509Certificate): KeyObject {
  let key = keyCache.get(x509)
  if (key === undefined) {
    try {
      key = x509.publicKey
    } catch (error) {
      throw new VerificationError('CERT_CHAIN_INVALID', 'a certificate has an unusable public key', { cause: error })
    }
    keyCache.set(x509, key)
  }
  return key
}

const same = bytesEqual

/** Whether `issuer` plausibly issued `child`: names match, and key ids match where both exist. */
function mayHaveIssued(issuer: Node, child: Node): boolean {
  if (!same(issuer.parsed.subject, child.parsed.issuer)) return false
  const aki = authorityKeyIdentifier(child.x509)
  const ski = subjectKeyIdentifier(issuer.x509)
  return aki === undefined || ski === undefined || same(aki, ski)
}

function signedBy(child: Node, issuer: Node): boolean {
  const { tbs, signatureAlgorithm, signature } = child.parsed
  return verifySignature(tbs, signatureAlgorithm, signature, publicKeyOf(issuer.x509), 'CERT_CHAIN_INVALID')
}

/**
 * Builds and validates the path leaf → pinned root (RFC 5280 subset): every signature, validity at
 * `at` (`CERT_EXPIRED`), a pinned root at the end (`CERT_UNTRUSTED_ROOT`), basicConstraints cA,
 * pathLenConstraint and keyCertSign on issuers, no unknown critical extension, and revocation against
 * the CRLs given (`CERT_REVOKED`). A CRL whose issuer name matches a certificate's issuer but whose
 * signature does not verify with that issuer's key is `COLLATERAL_INVALID`; one outside
 * thisUpdate..nextUpdate at `at` is `CERT_EXPIRED`. Anything else wrong with the path is
 * `CERT_CHAIN_INVALID`.
 */
export function verifyCertificateChain(options: CertificateChainOptions): VerifiedCertificateChain {
  if (options.trustedRoots.length === 0) throw new VerificationError('CERT_UNTRUSTED_ROOT', 'no trusted roots given')
  const roots = options.trustedRoots.map((root) => node(root, 'a trusted root'))
  const intermediates = (options.intermediates ?? []).map((cert) => node(cert, 'an intermediate'))
  const maxLength = options.maxLength ?? 8
  const path: Node[] = [node(options.leaf, 'the leaf')]

  for (;;) {
    const current = path[path.length - 1] as Node
    const pinned = roots.find(
      (root) =>
        same(root.parsed.der, current.parsed.der) ||
        (same(root.parsed.subjectPublicKeyInfo, current.parsed.subjectPublicKeyInfo) &&
          same(root.parsed.subject, current.parsed.subject)),
    )
    if (pinned !== undefined) {
      path[path.length - 1] = pinned
      break
    }
    if (path.length >= maxLength) throw chainError(`certificate path longer than ${maxLength}`)
    const candidates = [...roots, ...intermediates].filter(
      (candidate) =>
        !path.some((inPath) => same(inPath.parsed.der, candidate.parsed.der)) && mayHaveIssued(candidate, current),
    )
    const issuer = candidates.find((candidate) => signedBy(current, candidate))
    if (issuer !== undefined) {
      path.push(issuer)
      continue
    }
    if (candidates.length > 0) throw chainError(`the signature of "${current.subject}" does not verify with its issuer`)
    if (same(current.parsed.subject, current.parsed.issuer) && signedBy(current, current)) {
      throw new VerificationError(
        'CERT_UNTRUSTED_ROOT',
        `the chain ends at "${current.subject}", which is not a pinned root`,
      )
    }
    throw chainError(
      `no issuer certificate for "${current.subject}" (issuer "${current.x509.issuer.replace(/\n/g, ', ')}")`,
    )
  }

  checkCertificates(path, options)
  const crls = checkRevocation(path, options)
  return { path: path.map((entry) => entry.x509), crls }
}

function checkCertificates(path: readonly Node[], options: CertificateChainOptions): void {
  const allowed = new Set([...UNDERSTOOD_CRITICAL, ...(options.allowedCriticalExtensions ?? [])])
  const at = options.at.getTime()
  path.forEach((entry, depth) => {
    const { notBefore, notAfter, extensions } = entry.parsed
    if (at < notBefore.getTime() || at > notAfter.getTime()) {
      throw new VerificationError(
        'CERT_EXPIRED',
        `"${entry.subject}" is valid ${notBefore.toISOString()}..${notAfter.toISOString()}, not at ${options.at.toISOString()}`,
      )
    }
    for (const [oid, extension] of extensions) {
      if (extension.critical && !allowed.has(oid))
        throw chainError(`"${entry.subject}" has unknown critical extension ${oid}`)
    }
    if (depth === 0) return
    const isRoot = depth === path.length - 1
    const constraints = basicConstraints(entry.x509)
    // A pinned root without basicConstraints (an old v1 root) is trusted by being pinned.
    if (constraints === undefined ? !isRoot : !constraints.ca) {
      throw chainError(`"${entry.subject}" issues certificates but is not a CA (basicConstraints)`)
    }
    if (constraints?.pathLength !== undefined && depth - 1 > constraints.pathLength) {
      throw chainError(
        `"${entry.subject}" allows ${constraints.pathLength} intermediates below it, the path has ${depth - 1}`,
      )
    }
    if (!keyUsageAllows(entry.x509, KeyUsageBit.keyCertSign)) {
      throw chainError(`"${entry.subject}" key usage does not allow certificate signing`)
    }
  })
}

function checkRevocation(path: readonly Node[], options: CertificateChainOptions): CertificateRevocationList[] {
  const crls = (options.crls ?? []).map((crl) => (isParsedCrl(crl) ? crl : parseCrl(crl, 'COLLATERAL_INVALID')))
  const used = new Set<CertificateRevocationList>()
  const require = options.requireCrlFor ?? 'none'
  for (let depth = 0; depth < path.length - 1; depth += 1) {
    const entry = path[depth] as Node
    const issuer = path[depth + 1] as Node
    const matching = crls.filter((crl) => same(crl.issuer, issuer.parsed.subject))
    for (const crl of matching) {
      if (!crlSignedBy(crl, issuer.x509)) {
        throw new VerificationError('COLLATERAL_INVALID', `a CRL naming "${issuer.subject}" is not signed by it`)
      }
      if (!keyUsageAllows(issuer.x509, KeyUsageBit.cRLSign)) {
        throw new VerificationError('COLLATERAL_INVALID', `"${issuer.subject}" key usage does not allow CRL signing`)
      }
      checkCrlCurrent(crl, options.at)
      used.add(crl)
      const revoked = revocationOf(crl, entry.x509)
      if (revoked !== undefined) {
        throw new VerificationError(
          'CERT_REVOKED',
          `"${entry.subject}" (serial ${entry.x509.serialNumber}) was revoked on ${revoked.revocationDate.toISOString()}`,
        )
      }
    }
    const required = require === 'all' || (typeof require === 'function' && require(entry.x509, depth))
    if (required && matching.length === 0) {
      throw new VerificationError(
        'COLLATERAL_UNAVAILABLE',
        `no CRL from "${issuer.subject}" to check "${entry.subject}"`,
      )
    }
  }
  return [...used]
}

function isParsedCrl(crl: CertificateRevocationList | CrlInput): crl is CertificateRevocationList {
  return typeof crl === 'object' && !(crl instanceof Uint8Array)
}
