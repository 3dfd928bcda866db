import type { JsonObject } from '@carapace/protocol'
import type { DcapQuote } from '../dcap/quote-parse.ts'

/** [name, offset, length] of the enclave report fields, claimed as lowercase hex of their bytes. */
const SGX_BODY_FIELDS: readonly (readonly [string, number, number])[] = [
  ['cpu_svn', 0, 16],
  ['misc_select', 16, 4],
  ['reserved1', 20, 12],
  ['isv_ext_prod_id', 32, 16],
  ['attributes.flags', 48, 8],
  ['attributes.xfrm', 56, 8],
  ['mr_enclave', 64, 32],
  ['reserved2', 96, 32],
  ['mr_signer', 128, 32],
  ['reserved3', 160, 32],
  ['config_id', 192, 64],
  ['isv_prod_id', 256, 2],
  ['isv_svn', 258, 2],
  ['config_svn', 260, 2],
  ['reserved4', 262, 42],
  ['isv_family_id', 304, 16],
  ['report_data', 320, 64],
]

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')

/**
 * The parsed SGX quote claims as upstream's SGX verifier makes them (without the DCAP result
 * claims): `header`, `body` (flat, with the dotted `attributes.*` keys), `report_data`,
 * `init_data` (= config_id).
 */
export function sgxQuoteClaims(quote: DcapQuote): JsonObject {
  // One hex encoding per structure; each field is a slice of it (byte n is characters 2n, 2n+1).
  const h = hex(quote.header.raw)
  const b = hex(quote.body)
  const field = (text: string, offset: number, length: number): string => text.slice(2 * offset, 2 * (offset + length))
  const body: JsonObject = {}
  for (const [name, offset, length] of SGX_BODY_FIELDS) body[name] = field(b, offset, length)
  return {
    header: {
      version: field(h, 0, 2),
      att_key_type: field(h, 2, 2),
      att_key_data_0: field(h, 4, 4),
      qe_svn: field(h, 8, 2),
      pce_svn: field(h, 10, 2),
      vendor_id: field(h, 12, 16),
      user_data: field(h, 28, 20),
    },
    body,
    report_data: field(b, 320, 64),
    init_data: field(b, 192, 64),
  }
}
