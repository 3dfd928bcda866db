import { certificateExtensions, type CertificateInput } from '../pkix/certificate.ts'
import {
  derBoolean,
  derChildren,
  derOctetString,
  derOid,
  derSmallInteger,
  DerTag,
  expectTag,
  readDer,
  type DerElement,
} from '../pkix/der.ts'
import { VerificationError } from '../verifier.ts'

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
const ENUMERATED = 0x0a

function invalid(message: string): never {
  throw new VerificationError('CERT_CHAIN_INVALID', `PCK certificate SGX extension: ${message}`)
}

/** The SEQUENCE OF { OID, value } entries of an SGX extension (sub)structure, by dotted OID. */
function entries(element: DerElement): Map<string, DerElement> {
  const out = new Map<string, DerElement>()
  for (const entry of derChildren(expectTag(element, DerTag.sequence, 'SGX extension'))) {
    const [id, value] = derChildren(expectTag(entry, DerTag.sequence, 'SGX extension entry'))
    if (id === undefined || value === undefined) return invalid('an entry without a value')
    out.set(derOid(id), value)
  }
  return out
}

function field(map: Map<string, DerElement>, oid: string, what: string): DerElement {
  return map.get(oid) ?? invalid(`no ${what}`)
}

function octets(map: Map<string, DerElement>, oid: string, length: number | undefined, what: string): Uint8Array {
  const value = derOctetString(field(map, oid, what))
  if (length !== undefined && value.length !== length) invalid(`${what}: expected ${String(length)} bytes`)
  return value
}

function flag(map: Map<string, DerElement>, oid: string): boolean | undefined {
  const element = map.get(oid)
  return element === undefined ? undefined : derBoolean(element)
}

/** Parses the SGX extension (OID 1.2.840.113741.1.13.1) of a PCK certificate; CERT_CHAIN_INVALID if malformed. */
export function parsePckExtensions(certificate: CertificateInput): PckExtensions {
  const raw = certificateExtensions(certificate, 'CERT_CHAIN_INVALID').get(SGX_EXTENSIONS_OID)
  if (raw === undefined) return invalid('missing')
  const p = SGX_EXTENSIONS_OID
  const top = entries(readDer(raw.value, 'CERT_CHAIN_INVALID'))
  const tcb = entries(field(top, `${p}.2`, 'TCB'))
  const compSvns: number[] = []
  for (let i = 1; i <= 16; i++)
    compSvns.push(derSmallInteger(field(tcb, `${p}.2.${String(i)}`, `TCB comp ${String(i)}`)))
  const sgxType =
    SGX_TYPES[derSmallInteger(field(top, `${p}.5`, 'SGX type'), ENUMERATED)] ?? invalid('unknown SGX type')
  const platformInstanceId = top.has(`${p}.6`) ? octets(top, `${p}.6`, undefined, 'platform instance id') : undefined
  let configuration: PckExtensions['configuration']
  const configElement = top.get(`${p}.7`)
  if (configElement !== undefined) {
    const config = entries(configElement)
    const dynamicPlatform = flag(config, `${p}.7.1`)
    const cachedKeys = flag(config, `${p}.7.2`)
    const smtEnabled = flag(config, `${p}.7.3`)
    configuration = {
      ...(dynamicPlatform === undefined ? {} : { dynamicPlatform }),
      ...(cachedKeys === undefined ? {} : { cachedKeys }),
      ...(smtEnabled === undefined ? {} : { smtEnabled }),
    }
  }
  return {
    ppid: octets(top, `${p}.1`, 16, 'PPID'),
    compSvns,
    pceSvn: derSmallInteger(field(tcb, `${p}.2.17`, 'PCESVN')),
    cpuSvn: octets(tcb, `${p}.2.18`, 16, 'CPUSVN'),
    pceId: octets(top, `${p}.3`, 2, 'PCE-ID'),
    fmspc: octets(top, `${p}.4`, 6, 'FMSPC'),
    sgxType,
    ...(platformInstanceId === undefined || platformInstanceId.length === 0 ? {} : { platformInstanceId }),
    ...(configuration === undefined ? {} : { configuration }),
  }
}
