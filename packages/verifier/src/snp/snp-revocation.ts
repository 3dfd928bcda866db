import type { X509Certificate } from 'node:crypto'
import type { CollateralSource, SnpProduct } from '../collateral/collateral-source.ts'
import { checkCrlCurrent, parseCrl, revocationOf, verifyCrlSignature } from '../pkix/crl.ts'
import { VerificationError } from '../verifier.ts'
import type { VerifiedSnpChain } from './snp-chain.ts'

/**
 * Revocation from AMD's CRL (KDS `/{vcek|vlek}/v1/{product}/crl`, issued by the ARK), when the
 * collateral has it: it must be signed by the pinned ARK and current at `at`, and must not list
 * the ASK/ASVK. Without a CRL nothing is checked, as upstream (which never fetches one).
 */
export async function checkSnpRevocation(
  chain: VerifiedSnpChain,
  product: SnpProduct,
  signer: 'vcek' | 'vlek',
  collateral: CollateralSource | undefined,
  at: Date,
): Promise<void> {
  let item
  try {
    item = await collateral?.get({ kind: 'amd-crl', product, signer })
  } catch (cause) {
    throw new VerificationError('COLLATERAL_UNAVAILABLE', 'fetching the AMD CRL failed', { cause })
  }
  if (item === undefined) return
  const crl = parseCrl(item.body)
  verifyCrlSignature(crl, chain.ark)
  checkCrlCurrent(crl, at)
  const revoked = (certificate: X509Certificate): boolean => revocationOf(crl, certificate) !== undefined
  if (revoked(chain.intermediate)) {
    throw new VerificationError(
      'CERT_REVOKED',
      `the ${signer === 'vcek' ? 'ASK' : 'ASVK'} is on AMD's ${product} CRL (serial ${chain.intermediate.serialNumber})`,
    )
  }
}
