import type { JsonObject } from '@carapace/protocol'
import type { DcapQuote } from '../dcap/quote-parse.ts'

/** [name, offset, length] of the TD report fields, claimed as lowercase hex of their bytes. */
const TD10_FIELDS: readonly (readonly [string, number, number])[] = [
  ['tcb_svn', 0, 16],
  ['mr_seam', 16, 48],
  ['mrsigner_seam', 64, 48],
  ['seam_attributes', 112, 8],
  ['td_attributes', 120, 8],
  ['xfam', 128, 8],
  ['mr_td', 136, 48],
  ['mr_config_id', 184, 48],
  ['mr_owner', 232, 48],
  ['mr_owner_config', 280, 48],
  ['rtmr_0', 328, 48],
  ['rtmr_1', 376, 48],
  ['rtmr_2', 424, 48],
  ['rtmr_3', 472, 48],
  ['report_data', 520, 64],
]
const TD15_FIELDS: readonly (readonly [string, number, number])[] = [
  ...TD10_FIELDS,
  ['tee_tcb_svn2', 584, 16],
  ['mr_servicetd', 600, 48],
]

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')

/** Byte `n` of the encoded bytes is characters 2n, 2n+1 of their hex. */
const field = (text: string, offset: number, length: number): string => text.slice(2 * offset, 2 * (offset + length))

function fields(text: string, table: readonly (readonly [string, number, number])[]): JsonObject {
  const out: JsonObject = {}
  for (const [name, offset, length] of table) out[name] = field(text, offset, length)
  return out
}

/** The TD attribute bits upstream names (TDX module spec: bit 0, 28, 30, 31, 63). */
export function tdAttributeClaims(tdAttributes: Uint8Array): JsonObject {
  const bit = (n: number): boolean => ((tdAttributes[n >> 3] ?? 0) & (1 << (n & 7))) !== 0
  return {
    debug: bit(0),
    septve_disable: bit(28),
    protection_keys: bit(30),
    key_locker: bit(31),
    perfmon: bit(63),
  }
}

/**
 * The parsed TDX quote claims as upstream's TDX verifier makes them (without the event log and
 * the DCAP result claims): `quote.header`, `quote.body`, v5 `quote.type`/`quote.size`,
 * `td_attributes`, `report_data`, `init_data` (= mr_config_id).
 */
export function tdxQuoteClaims(quote: DcapQuote): JsonObject {
  // One hex encoding per structure; the fields are slices of it.
  const h = hex(quote.header.raw)
  const b = hex(quote.body)
  const body = fields(b, quote.bodyKind === 'td15' ? TD15_FIELDS : TD10_FIELDS)
  const q: JsonObject = {
    header: {
      version: field(h, 0, 2),
      att_key_type: field(h, 2, 2),
      tee_type: field(h, 4, 4),
      reserved: field(h, 8, 4),
      vendor_id: field(h, 12, 16),
      user_data: field(h, 28, 20),
    },
    body,
  }
  if (quote.v5BodyDescriptor !== undefined) {
    q['type'] = quote.bodyKind === 'td15' ? '0300' : '0200'
    q['size'] = hex(quote.v5BodyDescriptor.size)
  }
  return {
    quote: q,
    report_data: field(b, 520, 64),
    init_data: field(b, 184, 48),
    td_attributes: tdAttributeClaims(quote.body.subarray(120, 128)),
  }
}
