import { X509Certificate } from 'node:crypto'
import type { CollateralSource, SnpProduct } from '../collateral/collateral-source.ts'
import { VerificationError } from '../verifier.ts'
import { amdRoots, commonName, splitPem, type AmdRoots } from './amd-roots.ts'
import type { SnpCertEntry } from './snp-evidence.ts'
import type { SelectedVek } from './vek-select.ts'

/**
 * ARK (pinned) → ASK (VCEK) or ASVK (VLEK) → VEK, every signature checked and every certificate
 * valid at `at`. An ARK or ASK/ASVK the evidence or the collateral supplies is used only if it
 * chains to the pinned ARK; a supplied ARK with another key is an untrusted root.
 */
export interface VerifiedSnpChain {
  readonly ark: X509Certificate
  /** The ASK (VCEK) or ASVK (VLEK) the VEK was checked against. */
  readonly intermediate: X509Certificate
  readonly vek: X509Certificate
}

/** The chain to the shipped pinned roots; returns the verified VEK certificate. */
export async function verifySnpChain(
  vek: SelectedVek,
  product: SnpProduct,
  certChain: readonly SnpCertEntry[],
  collateral: CollateralSource | undefined,
  at: Date,
): Promise<X509Certificate> {
  return (await verifySnpCertificates(vek, product, amdRoots(product), certChain, collateral, at)).vek
}

/** The chain to the given pinned roots, with the certificates it went through. */
export async function verifySnpCertificates(
  vek: SelectedVek,
  product: SnpProduct,
  pinned: AmdRoots,
  certChain: readonly SnpCertEntry[],
  collateral: CollateralSource | undefined,
  at: Date,
): Promise<VerifiedSnpChain> {
  const intermediateName = vek.kind === 'vcek' ? 'ASK' : 'ASVK'
  const supplied = await suppliedIssuers(vek, product, certChain, collateral)
  if (supplied.ark !== undefined && !sameKey(supplied.ark, pinned.ark)) {
    throw new VerificationError('CERT_UNTRUSTED_ROOT', `the supplied ARK is not AMD's ${product} ARK`)
  }
  const intermediate = supplied.intermediate ?? (vek.kind === 'vcek' ? pinned.ask : pinned.asvk)
  if (!signedBy(pinned.ark, pinned.ark)) throw new VerificationError('CERT_CHAIN_INVALID', 'ARK self-signature fails')
  if (!signedBy(intermediate, pinned.ark)) {
    throw new VerificationError(
      'CERT_UNTRUSTED_ROOT',
      `the ${intermediateName} is not signed by AMD's pinned ${product} ARK`,
    )
  }
  const leaf = certificate(vek.der, vek.kind.toUpperCase())
  if (!signedBy(leaf, intermediate)) {
    throw new VerificationError(
      'CERT_CHAIN_INVALID',
      `the ${vek.kind.toUpperCase()} is not signed by the ${intermediateName}`,
    )
  }
  for (const [name, c] of [
    ['ARK', pinned.ark],
    [intermediateName, intermediate],
    [vek.kind.toUpperCase(), leaf],
  ] as const) {
    if (at.getTime() < Date.parse(c.validFrom) || at.getTime() > Date.parse(c.validTo)) {
      throw new VerificationError(
        'CERT_EXPIRED',
        `${name} (${commonName(c)}) is valid ${c.validFrom} to ${c.validTo}, not at ${at.toISOString()}`,
      )
    }
  }
  return { ark: pinned.ark, intermediate, vek: leaf }
}

interface SuppliedIssuers {
  readonly ark?: X509Certificate
  readonly intermediate?: X509Certificate
}

async function suppliedIssuers(
  vek: SelectedVek,
  product: SnpProduct,
  certChain: readonly SnpCertEntry[],
  collateral: CollateralSource | undefined,
): Promise<SuppliedIssuers> {
  const entry = (names: readonly string[]): SnpCertEntry | undefined =>
    certChain.find((e) => names.includes(e.certType.toUpperCase()))
  const arkEntry = entry(['ARK'])
  const intermediateEntry = entry(vek.kind === 'vcek' ? ['ASK'] : ['ASVK', 'ASK'])
  if (arkEntry !== undefined || intermediateEntry !== undefined) {
    return {
      ...(arkEntry === undefined ? {} : { ark: certificate(arkEntry.data, 'ARK') }),
      ...(intermediateEntry === undefined ? {} : { intermediate: certificate(intermediateEntry.data, 'ASK/ASVK') }),
    }
  }
  let item
  try {
    item = await collateral?.get({ kind: 'amd-cert-chain', product, signer: vek.kind })
  } catch (cause) {
    throw new VerificationError('COLLATERAL_UNAVAILABLE', 'fetching the AMD certificate chain failed', { cause })
  }
  if (item === undefined) return {}
  // KDS serves ASK/ASVK then ARK as PEM.
  const certificates = splitPem(Buffer.from(item.body).toString('utf8')).map((pem) => {
    try {
      return new X509Certificate(pem)
    } catch (cause) {
      throw new VerificationError('COLLATERAL_INVALID', 'the AMD certificate chain has a malformed certificate', {
        cause,
      })
    }
  })
  const ark = certificates.find((c) => commonName(c).startsWith('ARK-'))
  const intermediate = certificates.find((c) => !commonName(c).startsWith('ARK-'))
  if (ark === undefined || intermediate === undefined) {
    throw new VerificationError('COLLATERAL_INVALID', 'the AMD certificate chain must hold the ASK/ASVK and the ARK')
  }
  return { ark, intermediate }
}

function certificate(der: Uint8Array, name: string): X509Certificate {
  try {
    return new X509Certificate(der)
  } catch (cause) {
    throw new VerificationError('CERT_CHAIN_INVALID', `the ${name} certificate is malformed`, { cause })
  }
}

function signedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey)
  } catch {
    return false
  }
}

function sameKey(a: X509Certificate, b: X509Certificate): boolean {
  const der = (c: X509Certificate): Buffer => c.publicKey.export({ type: 'spki', format: 'der' })
  return der(a).equals(der(b))
}
