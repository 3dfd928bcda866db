import { CollateralFields } from './collateral-fields.ts'
import type { SignedCollateralJson } from './collateral-signed-json.ts'
import { splitSignedCollateral } from './collateral-signed-json.ts'
import { isTcbLevelStatus, type TcbLevelStatus } from './tcb-status.ts'

export interface QeTcbLevel {
  readonly isvsvn: number
  readonly tcbDate: Date
  readonly tcbStatus: TcbLevelStatus
  readonly advisoryIds: readonly string[]
}

/** Intel's Enclave Identity v2 of a quoting enclave (`QE` for SGX quotes, `TD_QE` for TDX). */
export interface QeIdentity {
  readonly id: 'QE' | 'TD_QE' | 'QVE'
  readonly version: 2
  readonly issueDate: Date
  readonly nextUpdate: Date
  readonly tcbEvaluationDataNumber: number
  /** Hex, lower case, in the byte order of the report field (4 bytes). */
  readonly miscselect: string
  readonly miscselectMask: string
  /** Hex, lower case (16 bytes). */
  readonly attributes: string
  readonly attributesMask: string
  /** Hex, lower case (32 bytes). */
  readonly mrsigner: string
  readonly isvprodid: number
  /** In the order served: highest isvsvn first. */
  readonly tcbLevels: readonly QeTcbLevel[]
}

export interface SignedQeIdentity extends Omit<SignedCollateralJson, 'body'> {
  readonly qeIdentity: QeIdentity
}

/** Parses a PCS `/{sgx,tdx}/certification/v4/qe/identity` body; signature not checked. */
export function parseQeIdentityResponse(body: Uint8Array): SignedQeIdentity {
  const signed = splitSignedCollateral(body, 'enclaveIdentity', 'QE Identity')
  return { signedBytes: signed.signedBytes, signature: signed.signature, qeIdentity: parseQeIdentity(signed.body) }
}

export function parseQeIdentity(value: unknown): QeIdentity {
  const f = new CollateralFields(value, 'enclaveIdentity')
  const version = f.uint('version')
  if (version !== 2) throw f.fail('version', `${String(version)} is not supported (2)`)
  const id = f.string('id')
  if (id !== 'QE' && id !== 'TD_QE' && id !== 'QVE') throw f.fail('id', `"${id}" is not QE, TD_QE or QVE`)
  const levels = f.array('tcbLevels').map((l, i) => {
    const level = new CollateralFields(l, `enclaveIdentity.tcbLevels[${String(i)}]`)
    const status = level.string('tcbStatus')
    if (!isTcbLevelStatus(status)) throw level.fail('tcbStatus', `"${status}" is not a TCB status`)
    return {
      isvsvn: level.object('tcb').uint('isvsvn'),
      tcbDate: level.date('tcbDate'),
      tcbStatus: status,
      advisoryIds: level.stringArray('advisoryIDs'),
    }
  })
  if (levels.length === 0) throw f.fail('tcbLevels', 'is empty')
  return {
    id,
    version,
    issueDate: f.date('issueDate'),
    nextUpdate: f.date('nextUpdate'),
    tcbEvaluationDataNumber: f.uint('tcbEvaluationDataNumber'),
    miscselect: f.hex('miscselect', 4),
    miscselectMask: f.hex('miscselectMask', 4),
    attributes: f.hex('attributes', 16),
    attributesMask: f.hex('attributesMask', 16),
    mrsigner: f.hex('mrsigner', 32),
    isvprodid: f.uint('isvprodid'),
    tcbLevels: levels,
  }
}
