import { VerificationError } from '../verifier.ts'

/*
 * The FWID of an NVIDIA signing certificate: the last 48 bytes (a SHA-384 digest) of the value of
 * extension 2.23.133.5.4.1 (TCG DICE TcbInfo). Read with a small bounds-checked DER walk of
 * Certificate → tbsCertificate → [3] extensions.
 */

/** Content octets of OID 2.23.133.5.4.1. */
const TCG_DICE_TCB_INFO = Buffer.from('678105050401', 'hex')
const FWID_SIZE = 48

interface Tlv {
  readonly tag: number
  readonly content: Uint8Array
  readonly end: number
}

function invalid(message: string): VerificationError {
  return new VerificationError('CERT_CHAIN_INVALID', `NVIDIA signing certificate: ${message}`)
}

function tlv(bytes: Uint8Array, offset: number): Tlv {
  if (offset + 2 > bytes.length) throw invalid('DER element cut short')
  const tag = bytes[offset] ?? 0
  let length = bytes[offset + 1] ?? 0
  let start = offset + 2
  if (length >= 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 3 || start + count > bytes.length) throw invalid('bad DER length')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[start + i] ?? 0)
    start += count
  }
  const end = start + length
  if (end > bytes.length) throw invalid('DER element runs past its parent')
  return { tag, content: bytes.subarray(start, end), end }
}

function children(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = []
  for (let offset = 0; offset < bytes.length;) {
    const item = tlv(bytes, offset)
    out.push(item)
    offset = item.end
  }
  return out
}

/** The FWID (hex) of a DER certificate; CERT_CHAIN_INVALID when it has none. */
export function fwidOfCertificate(der: Uint8Array): string {
  const tbs = children(tlv(der, 0).content)[0]
  if (tbs?.tag !== 0x30) throw invalid('no tbsCertificate')
  const extensionsTag = children(tbs.content).find((e) => e.tag === 0xa3)
  const extensions = extensionsTag === undefined ? [] : children(tlv(extensionsTag.content, 0).content)
  const matches = extensions.filter((ext) => {
    const [oid] = children(ext.content)
    return oid?.tag === 0x06 && TCG_DICE_TCB_INFO.equals(oid.content)
  })
  if (matches.length === 0) throw invalid('the FWID extension (2.23.133.5.4.1) is missing')
  if (matches.length > 1) throw invalid('the FWID extension (2.23.133.5.4.1) appears twice')
  const value = children(matches[0]?.content ?? new Uint8Array()).at(-1)
  if (value?.tag !== 0x04 || value.content.length < FWID_SIZE) throw invalid('the FWID extension is too short')
  return Buffer.from(value.content.subarray(value.content.length - FWID_SIZE)).toString('hex')
}
