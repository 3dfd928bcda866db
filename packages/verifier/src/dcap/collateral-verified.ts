import { createHash, type X509Certificate } from 'node:crypto'
import { verifyCollateralSignature } from './collateral-issuer-chain.ts'
import { parseQeIdentityResponse, type QeIdentity } from './qe-identity.ts'
import { parseTcbInfoResponse, type TcbInfo } from './tcb-info.ts'

/**
 * Parsing and signature checks of TCB Info / QE Identity bodies, remembered per (body, signer): with
 * a warm collateral cache the same bytes come for every quote of a platform, and neither result
 * depends on the verification time (validity is judged by the caller each time).
 */
const verified = new Map<string, TcbInfo | QeIdentity>()
const CACHE_LIMIT = 128

function cacheKey(kind: string, body: Uint8Array, signer: X509Certificate): string {
  return `${kind}\n${signer.fingerprint256}\n${createHash('sha256').update(body).digest('hex')}`
}

function remember<T extends TcbInfo | QeIdentity>(key: string, value: T): T {
  if (verified.size >= CACHE_LIMIT) verified.clear()
  verified.set(key, value)
  return value
}

/** The TCB Info of a PCS body whose signature verifies with `signer`; `COLLATERAL_INVALID` otherwise. */
export function verifiedTcbInfo(body: Uint8Array, signer: X509Certificate): TcbInfo {
  const key = cacheKey('tcb', body, signer)
  const cached = verified.get(key)
  if (cached !== undefined) return cached as TcbInfo
  const signed = parseTcbInfoResponse(body)
  verifyCollateralSignature(signed.signedBytes, signed.signature, signer, 'TCB Info')
  return remember(key, signed.tcbInfo)
}

/** The QE Identity of a PCS body whose signature verifies with `signer`; `COLLATERAL_INVALID` otherwise. */
export function verifiedQeIdentity(body: Uint8Array, signer: X509Certificate): QeIdentity {
  const key = cacheKey('qe', body, signer)
  const cached = verified.get(key)
  if (cached !== undefined) return cached as QeIdentity
  const signed = parseQeIdentityResponse(body)
  verifyCollateralSignature(signed.signedBytes, signed.signature, signer, 'QE Identity')
  return remember(key, signed.qeIdentity)
}
