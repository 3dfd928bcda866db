import { VerificationError } from '../verifier.ts'
import type { QeIdentity, QeTcbLevel } from './qe-identity.ts'
import type { QeReportIdentity } from './tcb-inputs.ts'

function maskedEqual(a: Uint8Array, expectedHex: string, maskHex: string): boolean {
  const e = Buffer.from(expectedHex, 'hex')
  const m = Buffer.from(maskHex, 'hex')
  return a.length === e.length && a.every((byte, i) => (byte & (m[i] ?? 0)) === ((e[i] ?? 0) & (m[i] ?? 0)))
}

const mismatch = (field: string): VerificationError =>
  new VerificationError('POLICY_VIOLATION', `the QE report does not match the QE Identity: ${field}`)

/**
 * Intel's enclave identity check of the quoting enclave: MISCSELECT and ATTRIBUTES under their masks
 * (compared in the report's byte order), MRSIGNER and ISVPRODID exactly, then the first TCB level at
 * or below the QE's ISVSVN gives its status; none: `TCB_OUT_OF_DATE`.
 */
export function matchQeIdentity(identity: QeIdentity, qe: QeReportIdentity, expectedId: QeIdentity['id']): QeTcbLevel {
  if (identity.id !== expectedId) {
    throw new VerificationError('COLLATERAL_INVALID', `QE Identity is for ${identity.id}, ${expectedId} expected`)
  }
  if (!maskedEqual(qe.miscselect, identity.miscselect, identity.miscselectMask)) throw mismatch('MISCSELECT')
  if (!maskedEqual(qe.attributes, identity.attributes, identity.attributesMask)) throw mismatch('ATTRIBUTES')
  if (Buffer.from(qe.mrsigner).toString('hex') !== identity.mrsigner) throw mismatch('MRSIGNER')
  if (qe.isvprodid !== identity.isvprodid) throw mismatch('ISVPRODID')
  const level = identity.tcbLevels.find((l) => qe.isvsvn >= l.isvsvn)
  if (level === undefined) {
    throw new VerificationError('TCB_OUT_OF_DATE', `QE ISVSVN ${String(qe.isvsvn)} is below every QE Identity level`)
  }
  return level
}
