import type { SnpTcb } from '../collateral/collateral-source.ts'
import { VerificationError } from '../verifier.ts'

/**
 * The AMD extensions of a VCEK/VLEK certificate (VCEK spec §3): the SPL values the key was derived
 * for (1.3.6.1.4.1.3704.1.3.{1,2,3,8,9}) as DER INTEGERs and, for a VCEK, the hardware id
 * (1.3.6.1.4.1.3704.1.4) — raw bytes in older certificates, a DER OCTET STRING in newer ones.
 */

export interface VekExtensions {
  readonly tcb: Readonly<Record<keyof SnpTcb, number | undefined>>
  readonly hwid: Uint8Array | undefined
}

const AMD_ARC = [0x2b, 0x06, 0x01, 0x04, 0x01, 0x9c, 0x78, 0x01] // 1.3.6.1.4.1.3704.1
const SPL_OIDS = {
  bootloader: oidBytes(3, 1),
  tee: oidBytes(3, 2),
  snp: oidBytes(3, 3),
  microcode: oidBytes(3, 8),
  fmc: oidBytes(3, 9),
} as const
const HWID_OID = Buffer.from([...AMD_ARC, 4])

function oidBytes(...arcs: number[]): Buffer {
  return Buffer.from([...AMD_ARC, ...arcs])
}

interface Tlv {
  readonly tag: number
  readonly content: Uint8Array
  readonly end: number
}

function fail(message: string): never {
  throw new VerificationError('CERT_CHAIN_INVALID', `VCEK/VLEK certificate: ${message}`)
}

function readTlv(bytes: Uint8Array, offset: number): Tlv {
  if (offset + 2 > bytes.length) fail('truncated DER')
  const tag = bytes[offset] as number
  let length = bytes[offset + 1] as number
  let header = 2
  if (length >= 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 3 || offset + 2 + count > bytes.length) fail('bad DER length')
    length = 0
    for (let i = 0; i < count; i += 1) length = length * 256 + (bytes[offset + 2 + i] as number)
    header += count
  }
  const end = offset + header + length
  if (end > bytes.length) fail('DER length runs past the end')
  return { tag, content: bytes.subarray(offset + header, end), end }
}

function children(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = []
  for (let offset = 0; offset < bytes.length;) {
    const tlv = readTlv(bytes, offset)
    out.push(tlv)
    offset = tlv.end
  }
  return out
}

/** extnID → extnValue of every extension in the certificate. */
function extensions(der: Uint8Array): Map<string, Uint8Array> {
  const certificate = readTlv(der, 0)
  const tbs = children(certificate.content)[0]
  if (certificate.tag !== 0x30 || tbs?.tag !== 0x30) fail('not a certificate')
  const wrapper = children(tbs.content).find((t) => t.tag === 0xa3)
  const map = new Map<string, Uint8Array>()
  if (wrapper === undefined) return map
  const list = children(wrapper.content)[0]
  if (list?.tag !== 0x30) fail('extensions are not a SEQUENCE')
  for (const extension of children(list.content)) {
    const parts = children(extension.content)
    const id = parts[0]
    const value = parts[parts.length - 1]
    if (id?.tag !== 0x06 || value?.tag !== 0x04) fail('malformed extension')
    map.set(Buffer.from(id.content).toString('hex'), value.content)
  }
  return map
}

function splValue(value: Uint8Array | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const tlv = readTlv(value, 0)
  if (tlv.tag !== 0x02 || tlv.end !== value.length || tlv.content.length === 0 || tlv.content.length > 2) {
    return fail(`${name} SPL is not a small INTEGER`)
  }
  let n = 0
  for (const byte of tlv.content) n = n * 256 + byte
  if (n > 255) fail(`${name} SPL out of range`)
  return n
}

function hwidValue(value: Uint8Array | undefined): Uint8Array | undefined {
  if (value === undefined) return undefined
  // Older VCEKs carry the id itself; newer wrap it in an OCTET STRING (04 40 … / 04 08 …).
  if (value.length === 64 || value.length === 8) return value
  const tlv = readTlv(value, 0)
  if (tlv.tag !== 0x04 || tlv.end !== value.length) return fail('hwID is neither raw nor an OCTET STRING')
  return tlv.content
}

export function vekExtensions(der: Uint8Array): VekExtensions {
  const map = extensions(der)
  const get = (oid: Buffer): Uint8Array | undefined => map.get(oid.toString('hex'))
  return {
    tcb: {
      bootloader: splValue(get(SPL_OIDS.bootloader), 'bootloader'),
      tee: splValue(get(SPL_OIDS.tee), 'TEE'),
      snp: splValue(get(SPL_OIDS.snp), 'SNP'),
      microcode: splValue(get(SPL_OIDS.microcode), 'microcode'),
      fmc: splValue(get(SPL_OIDS.fmc), 'FMC'),
    },
    hwid: hwidValue(get(HWID_OID)),
  }
}
