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

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/**
 * The parsed SGX quote claims as upstream's SGX verifier makes them (without the DCAP result
 * claims): `header`, `body` (flat, with the dotted `attributes.*` keys), `report_data`,
 * `init_data` (= config_id).
 */
export function sgxQuoteClaims(quote: DcapQuote): JsonObject {
  const h = quote.header.raw
  const body: JsonObject = {}
  for (const [name, offset, length] of SGX_BODY_FIELDS) body[name] = hex(quote.body.subarray(offset, offset + length))
  return {
    header: {
      version: hex(h.subarray(0, 2)),
      att_key_type: hex(h.subarray(2, 4)),
      att_key_data_0: hex(h.subarray(4, 8)),
      qe_svn: hex(h.subarray(8, 10)),
      pce_svn: hex(h.subarray(10, 12)),
      vendor_id: hex(h.subarray(12, 28)),
      user_data: hex(h.subarray(28, 48)),
    },
    body,
    report_data: hex(quote.body.subarray(320, 384)),
    init_data: hex(quote.body.subarray(192, 256)),
  }
}
