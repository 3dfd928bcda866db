import { X509Certificate } from 'node:crypto'
import type { CollateralSource, SnpProduct } from '../collateral/collateral-source.ts'
import { verifyCertificateChain } from '../pkix/certificate-chain.ts'
import { VerificationError } from '../verifier.ts'
import { amdRoots, commonName, splitPem, type AmdRoots } from './amd-roots.ts'
import type { SnpCertEntry } from './snp-evidence.ts'
import type { SelectedVek } from './vek-select.ts'
import { getCollateral } from '../collateral/get-collateral.ts'

/**
 * ARK (pinned) → ASK (VCEK) or ASVK (VLEK) → VEK, validated by pkix's `verifyCertificateChain`
 * at `at`, with AMD's CRL when the collateral has one (revoked ASK/ASVK: CERT_REVOKED). An ARK or
 * ASK/ASVK the evidence or the collateral supplies is used only if it chains to the pinned ARK; a
 * supplied ARK with another key is an untrusted root.
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

/** The chain to the given pinned roots (and AMD's CRL from the collateral), with the certificates it went through. */
export async function verifySnpCertificates(
  vek: SelectedVek,
  product: SnpProduct,
  pinned: AmdRoots,
  certChain: readonly SnpCertEntry[],
  collateral: CollateralSource | undefined,
  at: Date,
): Promise<VerifiedSnpChain> {
  const supplied = await suppliedIssuers(vek, product, certChain, collateral)
  if (supplied.ark !== undefined && !sameKey(supplied.ark, pinned.ark)) {
    throw new VerificationError('CERT_UNTRUSTED_ROOT', `the supplied ARK is not AMD's ${product} ARK`)
  }
  const crl = await amdCrl(collateral, product, vek.kind)
  const { path } = verifyCertificateChain({
    leaf: vek.certificate ?? vek.der,
    intermediates: [
      ...(supplied.intermediate === undefined ? [] : [supplied.intermediate]),
      pinned[vek.kind === 'vcek' ? 'ask' : 'asvk'],
    ],
    trustedRoots: [pinned.ark],
    at,
    crls: crl === undefined ? [] : [crl],
  })
  const [leaf, intermediate, ark] = path
  if (path.length !== 3 || leaf === undefined || intermediate === undefined || ark === undefined) {
    throw new VerificationError('CERT_CHAIN_INVALID', `the ${vek.kind.toUpperCase()} is not issued by an AMD ASK/ASVK`)
  }
  return { ark, intermediate, vek: leaf }
}

/** AMD's CRL (KDS `/{vcek|vlek}/v1/{product}/crl`, issued by the ARK) when the collateral has it. */
async function amdCrl(
  collateral: CollateralSource | undefined,
  product: SnpProduct,
  signer: 'vcek' | 'vlek',
): Promise<Uint8Array | undefined> {
  return (await getCollateral(collateral, { kind: 'amd-crl', product, signer }))?.body
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
  const item = await getCollateral(collateral, { kind: 'amd-cert-chain', product, signer: vek.kind })
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

function sameKey(a: X509Certificate, b: X509Certificate): boolean {
  const der = (c: X509Certificate): Buffer => c.publicKey.export({ type: 'spki', format: 'der' })
  return der(a).equals(der(b))
}
