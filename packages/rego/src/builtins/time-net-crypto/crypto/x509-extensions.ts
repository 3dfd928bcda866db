import {
  bitString,
  children,
  contextTag,
  DerError,
  integerValue,
  oidArcs,
  oidText,
  parseDer,
  TAG,
  type Der,
} from './der.ts'
import type { GoJson } from './go-value.ts'
import { ipString } from '../net/ip.ts'

/** Go's x509.ExtKeyUsage numbering, by OID. */
const EXT_KEY_USAGES: Readonly<Record<string, number>> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
  '1.3.6.1.4.1.311.10.3.3': 10,
  '2.16.840.1.113730.4.1': 11,
  '1.3.6.1.4.1.311.2.1.22': 12,
  '1.3.6.1.4.1.311.61.1.1': 13,
}

/** Fields of Go's x509.Certificate that come from extensions. */
export interface ExtensionFields {
  extensions: GoJson[]
  unhandledCritical: number[][]
  keyUsage: number
  extKeyUsage: number[]
  unknownExtKeyUsage: number[][]
  basicConstraintsValid: boolean
  isCA: boolean
  maxPathLen: number
  subjectKeyId: Buffer | null
  authorityKeyId: Buffer | null
  ocspServer: string[]
  issuingCertificateURL: string[]
  dnsNames: string[]
  emailAddresses: string[]
  ipAddresses: string[]
  uris: string[]
  permittedDNSDomainsCritical: boolean
  permittedDNSDomains: string[]
  excludedDNSDomains: string[]
  permittedIPRanges: GoJson[]
  excludedIPRanges: GoJson[]
  permittedEmailAddresses: string[]
  excludedEmailAddresses: string[]
  permittedURIDomains: string[]
  excludedURIDomains: string[]
  crlDistributionPoints: string[]
  policyIdentifiers: number[][]
}

export function emptyExtensionFields(): ExtensionFields {
  return {
    extensions: [],
    unhandledCritical: [],
    keyUsage: 0,
    extKeyUsage: [],
    unknownExtKeyUsage: [],
    basicConstraintsValid: false,
    isCA: false,
    maxPathLen: 0,
    subjectKeyId: null,
    authorityKeyId: null,
    ocspServer: [],
    issuingCertificateURL: [],
    dnsNames: [],
    emailAddresses: [],
    ipAddresses: [],
    uris: [],
    permittedDNSDomainsCritical: false,
    permittedDNSDomains: [],
    excludedDNSDomains: [],
    permittedIPRanges: [],
    excludedIPRanges: [],
    permittedEmailAddresses: [],
    excludedEmailAddresses: [],
    permittedURIDomains: [],
    excludedURIDomains: [],
    crlDistributionPoints: [],
    policyIdentifiers: [],
  }
}

/** Reads a SEQUENCE OF Extension into `out`, as Go's processExtensions does. */
export function processExtensions(list: Der, out: ExtensionFields, forRequest = false): void {
  const seen = new Set<string>()
  for (const ext of children(list)) {
    const parts = children(ext)
    const id = parts[0]
    if (!id || id.tag !== TAG.OID) throw new DerError('x509: malformed extension OID field')
    let critical = false
    let valueDer = parts[1]
    if (valueDer?.tag === TAG.BOOLEAN) {
      critical = valueDer.value[0] !== 0
      valueDer = parts[2]
    }
    if (!valueDer || valueDer.tag !== TAG.OCTET_STRING) throw new DerError('x509: malformed extension value field')
    const oid = oidText(id)
    if (seen.has(oid)) throw new DerError('x509: certificate contains duplicate extensions')
    seen.add(oid)
    out.extensions.push({ Id: oidArcs(id), Critical: critical, Value: Buffer.from(valueDer.value) })
    const value = valueDer.value
    if (forRequest) {
      if (oid === '2.5.29.17') parseSubjectAltNames(value, out)
      continue
    }
    let unhandled = false
    switch (oid) {
      case '2.5.29.15':
        out.keyUsage = parseKeyUsage(value)
        break
      case '2.5.29.19': {
        const r = parseBasicConstraints(value)
        out.basicConstraintsValid = true
        out.isCA = r.isCA
        out.maxPathLen = r.maxPathLen
        break
      }
      case '2.5.29.17':
        parseSubjectAltNames(value, out)
        if (out.dnsNames.length + out.emailAddresses.length + out.ipAddresses.length + out.uris.length === 0) {
          unhandled = true
        }
        break
      case '2.5.29.30':
        unhandled = parseNameConstraints(value, critical, out)
        break
      case '2.5.29.31':
        out.crlDistributionPoints = parseCrlDistributionPoints(value)
        break
      case '2.5.29.35': {
        const seq = children(parseDer(value))
        const keyId = seq.find((d) => contextTag(d) === 0)
        if (keyId) out.authorityKeyId = Buffer.from(keyId.value)
        break
      }
      case '2.5.29.37':
        for (const u of children(parseDer(value))) {
          const usage = EXT_KEY_USAGES[oidText(u)]
          if (usage === undefined) out.unknownExtKeyUsage.push(oidArcs(u))
          else out.extKeyUsage.push(usage)
        }
        break
      case '2.5.29.14':
        out.subjectKeyId = Buffer.from(parseDer(value).value)
        break
      case '2.5.29.32':
        for (const policy of children(parseDer(value))) {
          const [pid] = children(policy)
          if (pid) out.policyIdentifiers.push(oidArcs(pid))
        }
        break
      case '1.3.6.1.5.5.7.1.1':
        for (const ad of children(parseDer(value))) {
          const [method, location] = children(ad)
          if (!method || !location || contextTag(location) !== 6) continue
          const url = location.value.toString('latin1')
          const m = oidText(method)
          if (m === '1.3.6.1.5.5.7.48.1') out.ocspServer.push(url)
          else if (m === '1.3.6.1.5.5.7.48.2') out.issuingCertificateURL.push(url)
        }
        break
      default:
        unhandled = true
    }
    if (critical && unhandled) out.unhandledCritical.push(oidArcs(id))
  }
}

function parseKeyUsage(value: Buffer): number {
  const { bytes, bitLength } = bitString(parseDer(value))
  let usage = 0
  for (let i = 0; i < 9 && i < bitLength; i++) {
    if (((bytes[i >> 3] as number) >> (7 - (i & 7))) & 1) usage |= 1 << i
  }
  return usage
}

function parseBasicConstraints(value: Buffer): { isCA: boolean; maxPathLen: number } {
  const parts = children(parseDer(value))
  let i = 0
  let isCA = false
  if (parts[i]?.tag === TAG.BOOLEAN) {
    isCA = parts[i]?.value[0] !== 0
    i++
  }
  let maxPathLen = -1
  if (parts[i]?.tag === TAG.INTEGER) maxPathLen = Number(integerValue(parts[i] as Der))
  return { isCA, maxPathLen }
}

function parseSubjectAltNames(value: Buffer, out: ExtensionFields): void {
  for (const name of children(parseDer(value))) {
    switch (contextTag(name)) {
      case 1:
        out.emailAddresses.push(name.value.toString('latin1'))
        break
      case 2:
        out.dnsNames.push(name.value.toString('latin1'))
        break
      case 6:
        out.uris.push(name.value.toString('latin1'))
        break
      case 7:
        if (name.value.length !== 4 && name.value.length !== 16) {
          throw new DerError(`x509: cannot parse IP address of length ${name.value.length}`)
        }
        out.ipAddresses.push(ipString(new Uint8Array(name.value)))
        break
      default:
        break
    }
  }
}

/** Returns true when the extension holds constraint kinds Go does not understand. */
function parseNameConstraints(value: Buffer, critical: boolean, out: ExtensionFields): boolean {
  out.permittedDNSDomainsCritical = critical
  let unhandled = false
  for (const subtrees of children(parseDer(value))) {
    const tag = contextTag(subtrees)
    if (tag !== 0 && tag !== 1) continue
    const permitted = tag === 0
    for (const subtree of children(subtrees)) {
      const [base] = children(subtree)
      if (!base) continue
      switch (contextTag(base)) {
        case 2:
          ;(permitted ? out.permittedDNSDomains : out.excludedDNSDomains).push(base.value.toString('latin1'))
          break
        case 1:
          ;(permitted ? out.permittedEmailAddresses : out.excludedEmailAddresses).push(base.value.toString('latin1'))
          break
        case 6:
          ;(permitted ? out.permittedURIDomains : out.excludedURIDomains).push(base.value.toString('latin1'))
          break
        case 7: {
          const half = base.value.length / 2
          const ip = ipString(new Uint8Array(base.value.subarray(0, half)))
          ;(permitted ? out.permittedIPRanges : out.excludedIPRanges).push({
            IP: ip,
            Mask: Buffer.from(base.value.subarray(half)),
          })
          break
        }
        default:
          unhandled = true
      }
    }
  }
  return unhandled
}

function parseCrlDistributionPoints(value: Buffer): string[] {
  const out: string[] = []
  for (const dp of children(parseDer(value))) {
    const name = children(dp).find((d) => contextTag(d) === 0)
    if (!name) continue
    for (const full of children(name)) {
      if (contextTag(full) !== 0) continue
      for (const gn of children(full)) if (contextTag(gn) === 6) out.push(gn.value.toString('latin1'))
    }
  }
  return out
}
