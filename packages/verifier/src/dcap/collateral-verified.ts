import type { X509Certificate } from 'node:crypto'
import { verifyCollateralSignature } from './collateral-issuer-chain.ts'
import { ContentCache } from '../content-cache.ts'
import { parseQeIdentityResponse, type QeIdentity } from './qe-identity.ts'
import { parseTcbInfoResponse, type TcbInfo } from './tcb-info.ts'

/**
 * Parsing and signature checks of TCB Info / QE Identity bodies, remembered per (exact body, signer):
 * with a warm collateral cache the same bytes come for every quote of a platform, and neither result
 * depends on the verification time (validity is judged by the caller each time).
 */
const tcbInfos = new ContentCache<TcbInfo>(128)
const qeIdentities = new ContentCache<QeIdentity>(64)

/** The TCB Info of a PCS body whose signature verifies with `signer`; `COLLATERAL_INVALID` otherwise. */
export function verifiedTcbInfo(body: Uint8Array, signer: X509Certificate): TcbInfo {
  return tcbInfos.get(body, signer.fingerprint256, () => {
    const signed = parseTcbInfoResponse(body)
    verifyCollateralSignature(signed.signedBytes, signed.signature, signer, 'TCB Info')
    return signed.tcbInfo
  })
}

/** The QE Identity of a PCS body whose signature verifies with `signer`; `COLLATERAL_INVALID` otherwise. */
export function verifiedQeIdentity(body: Uint8Array, signer: X509Certificate): QeIdentity {
  return qeIdentities.get(body, signer.fingerprint256, () => {
    const signed = parseQeIdentityResponse(body)
    verifyCollateralSignature(signed.signedBytes, signed.signature, signer, 'QE Identity')
    return signed.qeIdentity
  })
}
