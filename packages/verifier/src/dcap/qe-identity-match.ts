import { VerificationError } from '../verifier.ts'
import type { QeIdentity, QeTcbLevel } from './qe-identity.ts'
import type { QeReportIdentity } from './tcb-inputs.ts'

/** The QE Identity's hex fields as bytes, decoded once per (remembered) QE Identity object. */
interface QeIdentityBytes {
  readonly miscselect: Buffer
  readonly miscselectMask: Buffer
  readonly attributes: Buffer
  readonly attributesMask: Buffer
  readonly mrsigner: Buffer
}

const decoded = new WeakMap<QeIdentity, QeIdentityBytes>()

function identityBytes(identity: QeIdentity): QeIdentityBytes {
  let bytes = decoded.get(identity)
  if (bytes === undefined) {
    bytes = {
      miscselect: Buffer.from(identity.miscselect, 'hex'),
      miscselectMask: Buffer.from(identity.miscselectMask, 'hex'),
      attributes: Buffer.from(identity.attributes, 'hex'),
      attributesMask: Buffer.from(identity.attributesMask, 'hex'),
      mrsigner: Buffer.from(identity.mrsigner, 'hex'),
    }
    decoded.set(identity, bytes)
  }
  return bytes
}

function maskedEqual(a: Uint8Array, e: Buffer, m: Buffer): boolean {
  if (a.length !== e.length) return false
  for (let i = 0; i < a.length; i++) if (((a[i] ?? 0) & (m[i] ?? 0)) !== ((e[i] ?? 0) & (m[i] ?? 0))) return false
  return true
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
  const expected = identityBytes(identity)
  if (!maskedEqual(qe.miscselect, expected.miscselect, expected.miscselectMask)) throw mismatch('MISCSELECT')
  if (!maskedEqual(qe.attributes, expected.attributes, expected.attributesMask)) throw mismatch('ATTRIBUTES')
  if (!expected.mrsigner.equals(qe.mrsigner)) throw mismatch('MRSIGNER')
  if (qe.isvprodid !== identity.isvprodid) throw mismatch('ISVPRODID')
  const level = identity.tcbLevels.find((l) => qe.isvsvn >= l.isvsvn)
  if (level === undefined) {
    throw new VerificationError('TCB_OUT_OF_DATE', `QE ISVSVN ${String(qe.isvsvn)} is below every QE Identity level`)
  }
  return level
}
