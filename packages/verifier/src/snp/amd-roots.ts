import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { SnpProduct } from '../collateral/collateral-source.ts'

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
  const certificates = splitPem(readFileSync(file, 'utf8')).map((pem) => new X509Certificate(pem))
  const byName = (name: string): X509Certificate => {
    const found = certificates.find((c) => commonName(c) === name)
    if (found === undefined) throw new Error(`pinned AMD roots for ${product} lack ${name}`)
    return found
  }
  const roots = { ark: byName(`ARK-${product}`), ask: byName(`SEV-${product}`), asvk: byName(`SEV-VLEK-${product}`) }
  cache.set(product, roots)
  return roots
}
