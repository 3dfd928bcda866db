import { VerificationError } from '../verifier.ts'
import {
  certificateExtensions,
  children,
  DerError,
  expectTag,
  oidToString,
  readTlv,
  smallInteger,
  type Tlv,
} from './pck-der.ts'

export const SGX_EXTENSIONS_OID = '1.2.840.113741.1.13.1'

export type SgxType = 'Standard' | 'Scalable' | 'ScalableWithIntegrity'

/** What the Intel SGX extension of a PCK certificate says about the platform. */
export interface PckExtensions {
  readonly ppid: Uint8Array
  /** SGX TCB component SVNs 1–16. */
  readonly compSvns: readonly number[]
  readonly pceSvn: number
  readonly cpuSvn: Uint8Array
  readonly pceId: Uint8Array
  readonly fmspc: Uint8Array
  readonly sgxType: SgxType
  /** Platform CA certificates only. */
  readonly platformInstanceId?: Uint8Array
  /** Platform CA certificates only (dynamic platform, cached keys, SMT enabled). */
  readonly configuration?: {
    readonly dynamicPlatform?: boolean
    readonly cachedKeys?: boolean
    readonly smtEnabled?: boolean
  }
}

const SGX_TYPES: readonly SgxType[] = ['Standard', 'Scalable', 'ScalableWithIntegrity']

function entries(value: Uint8Array): Map<string, Tlv> {
  const out = new Map<string, Tlv>()
  for (const entry of children(value)) {
    const [id, v] = children(expectTag(entry, 0x30, 'SGX extension entry').value)
    if (v === undefined) throw new DerError('SGX extension entry without a value')
    out.set(oidToString(expectTag(id, 0x06, 'SGX extension id').value), v)
  }
  return out
}

function octets(map: Map<string, Tlv>, oid: string, length: number | undefined, what: string): Uint8Array {
  const tlv = expectTag(map.get(oid), 0x04, what)
  if (length !== undefined && tlv.value.length !== length)
    throw new DerError(`${what}: expected ${String(length)} bytes`)
  return tlv.value
}

function bool(map: Map<string, Tlv>, oid: string): boolean | undefined {
  const tlv = map.get(oid)
  if (tlv === undefined) return undefined
  return expectTag(tlv, 0x01, 'configuration flag').value[0] !== 0
}

/** Parses the SGX extension (OID 1.2.840.113741.1.13.1) of a DER PCK certificate. */
export function parsePckExtensions(certificateDer: Uint8Array): PckExtensions {
  try {
    const raw = certificateExtensions(certificateDer).get(SGX_EXTENSIONS_OID)
    if (raw === undefined) throw new DerError('the PCK certificate has no SGX extension')
    const top = entries(expectTag(readTlv(raw).tlv, 0x30, 'SGX extension').value)
    const p = SGX_EXTENSIONS_OID
    const tcb = entries(expectTag(top.get(`${p}.2`), 0x30, 'SGX TCB').value)
    const compSvns: number[] = []
    for (let i = 1; i <= 16; i++) {
      compSvns.push(smallInteger(expectTag(tcb.get(`${p}.2.${String(i)}`), 0x02, `SGX TCB comp ${String(i)}`)))
    }
    const pceSvn = smallInteger(expectTag(tcb.get(`${p}.2.17`), 0x02, 'PCESVN'))
    const cpuSvn = octets(tcb, `${p}.2.18`, 16, 'CPUSVN')
    const typeTlv = expectTag(top.get(`${p}.5`), 0x0a, 'SGX type')
    const sgxType = SGX_TYPES[smallInteger(typeTlv)]
    if (sgxType === undefined) throw new DerError('unknown SGX type')
    const platformInstanceId = top.has(`${p}.6`) ? octets(top, `${p}.6`, undefined, 'platform instance id') : undefined
    const configTlv = top.get(`${p}.7`)
    let configuration: PckExtensions['configuration']
    if (configTlv !== undefined) {
      const config = entries(expectTag(configTlv, 0x30, 'configuration').value)
      const dynamicPlatform = bool(config, `${p}.7.1`)
      const cachedKeys = bool(config, `${p}.7.2`)
      const smtEnabled = bool(config, `${p}.7.3`)
      configuration = {
        ...(dynamicPlatform === undefined ? {} : { dynamicPlatform }),
        ...(cachedKeys === undefined ? {} : { cachedKeys }),
        ...(smtEnabled === undefined ? {} : { smtEnabled }),
      }
    }
    return {
      ppid: octets(top, `${p}.1`, 16, 'PPID'),
      compSvns,
      pceSvn,
      cpuSvn,
      pceId: octets(top, `${p}.3`, 2, 'PCE-ID'),
      fmspc: octets(top, `${p}.4`, 6, 'FMSPC'),
      sgxType,
      ...(platformInstanceId === undefined || platformInstanceId.length === 0 ? {} : { platformInstanceId }),
      ...(configuration === undefined ? {} : { configuration }),
    }
  } catch (cause) {
    if (!(cause instanceof DerError)) throw cause
    throw new VerificationError('CERT_CHAIN_INVALID', `PCK certificate SGX extension: ${cause.message}`, { cause })
  }
}
