import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { SnpProduct } from '../collateral/collateral-source.ts'
import { VerificationError } from '../verifier.ts'

/**
 * The pinned AMD certificates per product (`roots/amd-<product>.pem`, shipped with the package):
 * the self-signed ARK, the ASK that signs VCEKs and the ASVK that signs VLEKs.
 */
export interface AmdRoots {
  readonly ark: X509Certificate
  readonly ask: X509Certificate
  readonly asvk: X509Certificate
}

const cache = new Map<SnpProduct, AmdRoots>()

export function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []
}

/** The certificate's subject CN (AMD names the roles `ARK-<product>`, `SEV-<product>`, `SEV-VLEK-<product>`). */
export function commonName(certificate: X509Certificate): string {
  const line = certificate.subject.split('\n').find((l) => l.startsWith('CN='))
  return line === undefined ? '' : line.slice(3)
}

export function amdRoots(product: SnpProduct): AmdRoots {
  const cached = cache.get(product)
  if (cached !== undefined) return cached
  const file = new URL(`../../roots/amd-${product.toLowerCase()}.pem`, import.meta.url)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    // The roots are the last place collateral is looked for; a missing file means none is there.
    throw new VerificationError('COLLATERAL_UNAVAILABLE', `pinned AMD roots for ${product} are not installed`)
  }
  const roots = parseAmdRoots(product, text)
  cache.set(product, roots)
  return roots
}

/**
 * Reads a pinned AMD bundle. A corrupt bundle is COLLATERAL_INVALID, not CERT_UNTRUSTED_ROOT: nothing
 * about the evidence is wrong, the trust data it must be checked against is unusable.
 */
export function parseAmdRoots(product: SnpProduct, text: string): AmdRoots {
  let certificates: X509Certificate[]
  try {
    certificates = splitPem(text).map((pem) => new X509Certificate(pem))
  } catch {
    throw new VerificationError('COLLATERAL_INVALID', `pinned AMD roots for ${product} hold a malformed certificate`)
  }
  const byName = (name: string): X509Certificate => {
    const found = certificates.find((c) => commonName(c) === name)
    if (found === undefined) {
      throw new VerificationError('COLLATERAL_INVALID', `pinned AMD roots for ${product} lack ${name}`)
    }
    return found
  }
  return { ark: byName(`ARK-${product}`), ask: byName(`SEV-${product}`), asvk: byName(`SEV-VLEK-${product}`) }
}
