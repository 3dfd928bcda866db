import { isJsonObject, type JsonObject } from '@carapace/protocol'
import { parseCrl } from '../pkix/crl.ts'
import type { CollateralRequest } from './collateral-source.ts'
import { CollateralError } from './collateral-error.ts'

/** The PCS v4 body's signed object: `tcbInfo` (TCB Info) or `enclaveIdentity` (QE Identity). */
export function intelSignedObject(body: Uint8Array, field: 'tcbInfo' | 'enclaveIdentity', what: string): JsonObject {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'))
  } catch (cause) {
    throw new CollateralError('MALFORMED', `${what} is not JSON`, { cause })
  }
  const inner = isJsonObject(parsed) ? parsed[field] : undefined
  if (!isJsonObject(inner)) throw new CollateralError('MALFORMED', `${what} has no "${field}" object`)
  return inner
}

function jsonDate(object: JsonObject, field: string, what: string): Date {
  const value = object[field]
  const date = typeof value === 'string' ? new Date(value) : undefined
  if (date === undefined || Number.isNaN(date.getTime())) {
    throw new CollateralError('MALFORMED', `${what}: "${field}" is not a date`)
  }
  return date
}

function crlNextUpdate(body: Uint8Array, what: string): Date | undefined {
  try {
    return parseCrl(body).nextUpdate
  } catch (cause) {
    throw new CollateralError('MALFORMED', `${what} is not a CRL`, { cause })
  }
}

/**
 * When a served object should be fetched again: a CRL's nextUpdate, TCB Info's / QE Identity's
 * `nextUpdate`; VCEKs, certificate chains and roots do not expire here (their validity is checked
 * by the verifier). Throws `MALFORMED` when the object cannot be read, so nothing unusable is cached.
 */
export function nextUpdateOf(request: CollateralRequest, body: Uint8Array): Date | undefined {
  switch (request.kind) {
    case 'amd-crl':
    case 'intel-pck-crl':
    case 'intel-root-ca-crl':
      return crlNextUpdate(body, request.kind)
    case 'intel-tcb-info':
      return jsonDate(intelSignedObject(body, 'tcbInfo', 'TCB Info'), 'nextUpdate', 'TCB Info')
    case 'intel-qe-identity':
      return jsonDate(intelSignedObject(body, 'enclaveIdentity', 'QE Identity'), 'nextUpdate', 'QE Identity')
    case 'amd-vcek':
    case 'amd-vlek':
    case 'amd-cert-chain':
    case 'nvidia-root':
    case 'hygon-hsk-cek':
      return undefined
  }
}
