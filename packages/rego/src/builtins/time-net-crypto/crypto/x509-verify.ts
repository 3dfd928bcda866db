import { constants, verify as verifySignature } from 'node:crypto'
import { INSECURE_ALGORITHMS, signatureAlgorithm, VERIFY_SPECS } from './signature-algorithm.ts'
import type { Certificate } from './x509-certificate.ts'
import { PUBLIC_KEY_UNITS, type WorkMeter } from '../../work.ts'

/** Go's x509.VerifyOptions, as far as OPA passes them. */
export interface VerifyOptions {
  dnsName: string
  /** Milliseconds since the epoch. */
  currentTime: number
  /** Go ExtKeyUsage numbers; empty means server authentication. */
  keyUsages: number[]
}

const KEY_USAGE_CERT_SIGN = 1 << 5
const EKU_ANY = 0
const EKU_SERVER_AUTH = 1
const MAX_CHAIN_DEPTH = 16

/**
 * Go's Certificate.Verify with `roots` as the root pool and `intermediates` as the intermediate
 * pool: builds chains leaf → root checking signatures, validity periods, CA flags and path
 * lengths, then keeps the chains whose extended key usages allow the requested ones.
 * Returns the first surviving chain, or undefined. Name constraints are not enforced.
 */
export function verifyChain(
  leaf: Certificate,
  roots: readonly Certificate[],
  intermediates: readonly Certificate[],
  opts: VerifyOptions,
  meter: WorkMeter,
): Certificate[] | undefined {
  if (leaf.ext.unhandledCritical.length > 0) return undefined
  if (!validAt(leaf, opts.currentTime)) return undefined
  if (opts.dnsName !== '' && !matchesHostname(leaf, opts.dnsName)) return undefined
  let chains: Certificate[][]
  if (roots.some((r) => r.raw.equals(leaf.raw))) chains = [[leaf]]
  else chains = buildChains([leaf], roots, intermediates, opts, meter)
  const usages = opts.keyUsages.length === 0 ? [EKU_SERVER_AUTH] : opts.keyUsages
  if (usages.includes(EKU_ANY)) return chains[0]
  return chains.find((c) => chainAllowsUsages(c, usages))
}

function validAt(cert: Certificate, now: number): boolean {
  return now >= cert.notBefore.getTime() && now <= cert.notAfter.getTime()
}

/**
 * Chains up from `chain`'s last certificate. Intermediates with the same subject can make the
 * candidate chains exponentially many: each signature checked is charged.
 */
function buildChains(
  chain: Certificate[],
  roots: readonly Certificate[],
  intermediates: readonly Certificate[],
  opts: VerifyOptions,
  meter: WorkMeter,
): Certificate[][] {
  const child = chain[chain.length - 1] as Certificate
  const out: Certificate[][] = []
  const consider = (candidate: Certificate, isRoot: boolean) => {
    meter.add(chain.length)
    if (!candidate.publicKey || chain.some((c) => c.raw.equals(candidate.raw))) return
    meter.add(PUBLIC_KEY_UNITS)
    if (!signedBy(child, candidate)) return
    if (!validAsCA(candidate, isRoot, chain, opts)) return
    if (isRoot) out.push([...chain, candidate])
    else if (chain.length < MAX_CHAIN_DEPTH) {
      out.push(...buildChains([...chain, candidate], roots, intermediates, opts, meter))
    }
  }
  for (const r of potentialParents(child, roots)) consider(r, true)
  for (const im of potentialParents(child, intermediates)) consider(im, false)
  return out
}

/** Pool certificates whose subject is the child's issuer, those with a matching key id first. */
function potentialParents(child: Certificate, pool: readonly Certificate[]): Certificate[] {
  const matches = pool.filter((c) => c.rawSubject.equals(child.rawIssuer))
  const akid = child.ext.authorityKeyId
  if (!akid) return matches
  const rank = (c: Certificate) => (c.ext.subjectKeyId ? (c.ext.subjectKeyId.equals(akid) ? 0 : 2) : 1)
  return matches
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map((x) => x.c)
}

function validAsCA(cert: Certificate, isRoot: boolean, chain: Certificate[], opts: VerifyOptions): boolean {
  if (!validAt(cert, opts.currentTime)) return false
  if (!isRoot && (!cert.ext.basicConstraintsValid || !cert.ext.isCA)) return false
  if (cert.ext.basicConstraintsValid && cert.ext.maxPathLen >= 0 && chain.length - 1 > cert.ext.maxPathLen) return false
  return true
}

/** Go's CheckSignatureFrom: the parent must be allowed to sign, and its key must verify. */
function signedBy(child: Certificate, parent: Certificate): boolean {
  if (
    (parent.version === 3 && !parent.ext.basicConstraintsValid) ||
    (parent.ext.basicConstraintsValid && !parent.ext.isCA)
  ) {
    return false
  }
  if (parent.ext.keyUsage !== 0 && (parent.ext.keyUsage & KEY_USAGE_CERT_SIGN) === 0) return false
  const key = parent.publicKey
  if (!key) return false
  const algorithm = signatureAlgorithm(child.signatureOid, child.signatureParams)
  const spec = VERIFY_SPECS[algorithm]
  if (!spec || INSECURE_ALGORITHMS.has(algorithm)) return false
  try {
    if (spec.pss) {
      return verifySignature(
        spec.hash,
        child.tbs,
        {
          key,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: constants.RSA_PSS_SALTLEN_AUTO,
        },
        child.signature,
      )
    }
    return verifySignature(spec.hash, child.tbs, key, child.signature)
  } catch {
    return false
  }
}

/** Go's checkChainForKeyUsage. */
function chainAllowsUsages(chain: Certificate[], requested: number[]): boolean {
  const usages = [...requested]
  let remaining = usages.length
  for (let i = chain.length - 1; i >= 0; i--) {
    const cert = chain[i] as Certificate
    if (cert.ext.extKeyUsage.length === 0 && cert.ext.unknownExtKeyUsage.length === 0) continue
    if (cert.ext.extKeyUsage.includes(EKU_ANY)) continue
    for (let j = 0; j < usages.length; j++) {
      const u = usages[j] as number
      if (u === -1) continue
      if (cert.ext.extKeyUsage.includes(u)) continue
      usages[j] = -1
      remaining--
      if (remaining === 0) return false
    }
  }
  return true
}

/** Go's VerifyHostname, for DNS names and IP literals. */
function matchesHostname(cert: Certificate, host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  if (/^[0-9.]+$/.test(bare) || bare.includes(':')) return cert.ext.ipAddresses.includes(bare)
  const candidate = host.toLowerCase().replace(/\.$/, '')
  return cert.ext.dnsNames.some((pattern) => matchHostname(pattern.toLowerCase().replace(/\.$/, ''), candidate))
}

function matchHostname(pattern: string, host: string): boolean {
  if (pattern === '' || host === '') return false
  const p = pattern.split('.')
  const h = host.split('.')
  if (p.length !== h.length) return false
  return p.every((label, i) => (i === 0 && label === '*') || label === h[i])
}
