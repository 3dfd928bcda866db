import { createHash } from 'node:crypto'
import type { JsonObject } from '@carapace/protocol'
import { VerificationError } from '../verifier.ts'
import { eventDetails } from './event-details.ts'
import { TCG_ALGORITHMS, TCG_EVENT_TYPES, TCG_HASHES, type TcgHashName } from './tcg-types.ts'

export interface EventDigest {
  readonly alg: TcgHashName
  /** Lower-case hex. */
  readonly digest: string
}

/** One measured event, in upstream's `uefi_event_logs[]` claim shape. */
export interface UefiEventLogEntry {
  readonly details: JsonObject
  /** The event data hashes to (one of) its digests; false for events that measure something else. */
  readonly digest_matches_event: boolean
  readonly digests: readonly EventDigest[]
  /** The event data, standard base64. */
  readonly event: string
  /** CC measurement register index: 0 = MRTD, 1–4 = RTMR0–3 on TDX. */
  readonly index: number
  readonly type_name: string
}

const malformed = (detail: string): VerificationError =>
  new VerificationError('EVIDENCE_MALFORMED', `CC event log: ${detail}`)

/** The digest sizes the TCG_EfiSpecIDEvent announces (the log's first, SHA-1-format, event). */
function specIdDigestSizes(log: Buffer): { sizes: Map<number, number>; end: number } {
  if (log.length < 32) throw malformed('shorter than the spec-id event header')
  const eventType = log.readUInt32LE(4)
  const size = log.readUInt32LE(28)
  const end = 32 + size
  if (eventType !== 0x3 || end > log.length) throw malformed('the first event is not a TCG_EfiSpecIDEvent')
  const event = log.subarray(32, end)
  if (event.length < 29 || !event.subarray(0, 16).toString('latin1').startsWith('Spec ID Event03')) {
    throw malformed('the first event is not a TCG_EfiSpecIDEvent')
  }
  const count = event.readUInt32LE(24)
  if (event.length < 28 + count * 4 + 1) throw malformed('the spec-id event is truncated')
  const sizes = new Map<number, number>()
  for (let i = 0; i < count; i++) {
    const alg = event.readUInt16LE(28 + i * 4)
    const digestSize = event.readUInt16LE(30 + i * 4)
    const known = TCG_ALGORITHMS.get(alg)
    if (known !== undefined && known.size !== digestSize)
      throw malformed(`digest size ${String(digestSize)} for ${known.name}`)
    sizes.set(alg, digestSize)
  }
  const vendorSize = event[28 + count * 4] ?? 0
  if (28 + count * 4 + 1 + vendorSize !== event.length) throw malformed('the spec-id event size does not add up')
  return { sizes, end }
}

/**
 * Parses CC event log data (the CCEL ACPI table's log area, or a TPM 2.0 crypto-agile log): the
 * spec-id event, then TCG_PCR_EVENT2 records until the log ends or the free space (all-0xFF or
 * all-zero) begins.
 */
export function parseCcEventLog(data: Uint8Array): UefiEventLogEntry[] {
  const log = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const { sizes, end } = specIdDigestSizes(log)
  const entries: UefiEventLogEntry[] = []
  let i = end
  while (i < log.length) {
    if (log.length - i < 8) {
      if (log.subarray(i).every((b) => b === 0xff || b === 0)) break
      throw malformed(`trailing bytes at ${String(i)}`)
    }
    const head = log.readBigUInt64LE(i)
    if (head === 0n || head === 0xffffffffffffffffn) break
    if (log.length - i < 12) throw malformed(`event at ${String(i)} is truncated`)
    const index = log.readUInt32LE(i)
    const typeValue = log.readUInt32LE(i + 4)
    const typeName = TCG_EVENT_TYPES.get(typeValue)
    if (typeName === undefined) throw malformed(`unknown event type 0x${typeValue.toString(16)} at ${String(i)}`)
    const count = log.readUInt32LE(i + 8)
    let p = i + 12
    const digests: EventDigest[] = []
    for (let d = 0; d < count; d++) {
      if (p + 2 > log.length) throw malformed(`event at ${String(i)} is truncated`)
      const alg = log.readUInt16LE(p)
      const known = TCG_ALGORITHMS.get(alg)
      const size = sizes.get(alg)
      if (known === undefined || size === undefined)
        throw malformed(`digest algorithm 0x${alg.toString(16)} is not announced`)
      if (p + 2 + size > log.length) throw malformed(`event at ${String(i)} is truncated`)
      digests.push({ alg: known.name, digest: log.subarray(p + 2, p + 2 + size).toString('hex') })
      p += 2 + size
    }
    if (p + 4 > log.length) throw malformed(`event at ${String(i)} is truncated`)
    const size = log.readUInt32LE(p)
    p += 4
    if (p + size > log.length) throw malformed(`event at ${String(i)} is truncated`)
    const event = log.subarray(p, p + size)
    const details = eventDetails(typeName, event)
    if (details === undefined) throw malformed(`${typeName} event at ${String(i)} does not decode`)
    entries.push({
      details,
      digest_matches_event: digests.some((d) => hashOf(d.alg, event) === d.digest),
      digests,
      event: event.toString('base64'),
      index,
      type_name: typeName,
    })
    i = p + size
  }
  return entries
}

function hashOf(alg: TcgHashName, data: Buffer): string {
  return createHash(TCG_HASHES.get(alg)?.hash ?? 'sha384')
    .update(data)
    .digest('hex')
}
