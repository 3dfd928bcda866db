import type { JsonObject } from '@carapace/protocol'
import { ContentCache } from '../content-cache.ts'
import { VerificationError } from '../verifier.ts'

const PCR_HEX = /^[0-9a-f]{64}$/
const PCR_SIZE = 32
const MAX_PCRS = 64
const CLAIM_NAMES = Array.from({ length: MAX_PCRS }, (_, i) => pcrClaimName(i))

/**
 * `pcrs`: a JSON array of SHA-256 PCR values as lower-case hex, as the attesters write them (nothing
 * signs this text, so one spelling per value: other cases are refused).
 * The values are views of one buffer, in order, so the digest and the claims read them as one span.
 */
export function pcrValuesFromHex(object: JsonObject, field: string, tee: string): readonly Uint8Array[] {
  const list = object[field]
  if (!Array.isArray(list) || list.length > MAX_PCRS) {
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence: ${field} is not a list of PCR values`)
  }
  if (lastValues !== undefined && sameTexts(list, lastTexts)) return lastValues
  // One check and one decode for the whole list (per value they cost more than the hashing);
  // only when that check fails is each value looked at, to name the bad one.
  const strings = list.filter((value): value is string => typeof value === 'string' && value.length === 2 * PCR_SIZE)
  const joined = strings.length === list.length ? strings.join('') : ''
  const all = Buffer.from(joined, 'hex')
  // Exactly lower-case hex re-encodes to itself (one native pass instead of a pattern). The length
  // check alone is not enough: Buffer's decoding truncates two-byte characters.
  const hex = joined.length === list.length * 2 * PCR_SIZE && all.length * 2 === joined.length
  if (!hex || all.toString('hex') !== joined) {
    const bad = Math.max(
      0,
      list.findIndex((value) => typeof value !== 'string' || !PCR_HEX.test(value)),
    )
    throw new VerificationError(
      'EVIDENCE_MALFORMED',
      `${tee} evidence: ${field}[${String(bad)}] is not 32 bytes of lower-case hex`,
    )
  }
  const values = decoded.get(all, 'pcrs', () => {
    const views = Object.freeze(list.map((_, i) => new Uint8Array(all.buffer, all.byteOffset + i * PCR_SIZE, PCR_SIZE)))
    knownByValues.set(views, { span: new Uint8Array(all.buffer, all.byteOffset, all.length) })
    return views
  })
  lastTexts = strings
  lastValues = values
  return values
}

/**
 * The texts of the last list that decoded, and its values: the same machine sends the same PCR texts
 * with every quote, and comparing 24 short strings costs less than decoding them (a text equal to
 * one that passed the checks passes them again).
 */
let lastTexts: readonly string[] = []
let lastValues: readonly Uint8Array[] | undefined

function sameTexts(list: readonly unknown[], texts: readonly string[]): boolean {
  if (list.length !== texts.length || list.length === 0) return false
  for (let i = 0; i < list.length; i++) if (list[i] !== texts[i]) return false
  return true
}

/**
 * What is derived once per exact PCR list: a machine quotes the same PCR values until it reboots,
 * while the quote (nonce, signature) changes every call. `pcrValuesFromHex` returns the same frozen
 * array of views for the same decoded bytes (nothing writes to PCR values); the span, the list by
 * index and the claims template hang off that array and the map made from it.
 */
interface KnownPcrs {
  readonly span: Uint8Array
  byIndex?: ReadonlyMap<number, Uint8Array>
  claims?: Readonly<JsonObject>
}
const decoded = new ContentCache<readonly Uint8Array[]>(64)
const knownByValues = new WeakMap<readonly Uint8Array[], KnownPcrs>()
const knownByMap = new WeakMap<ReadonlyMap<number, Uint8Array>, KnownPcrs>()

/** `values` by PCR index (`indexes[i]` for `values[i]`); the same map again for a remembered list quoted as 0…n-1. */
export function pcrsByIndex(
  values: readonly Uint8Array[],
  indexes: readonly number[],
): ReadonlyMap<number, Uint8Array> {
  const known = knownByValues.get(values)
  let inOrder = known !== undefined && indexes.length === values.length
  for (let i = 0; inOrder && i < indexes.length; i++) inOrder = indexes[i] === i
  if (inOrder && known?.byIndex !== undefined) return known.byIndex
  const byIndex = new Map<number, Uint8Array>()
  for (let i = 0; i < values.length; i++) byIndex.set(indexes[i] ?? i, values[i] as Uint8Array)
  if (inOrder && known !== undefined) {
    known.byIndex = byIndex
    knownByMap.set(byIndex, known)
  }
  return byIndex
}

/** The bytes `values` cover when they are adjacent views of one buffer, in order; undefined otherwise. */
export function contiguousSpan(values: readonly Uint8Array[]): Uint8Array | undefined {
  const known = knownByValues.get(values)
  if (known !== undefined) return known.span
  const first = values[0]
  if (first === undefined) return undefined
  let end = first.byteOffset
  for (const value of values) {
    if (value.buffer !== first.buffer || value.byteOffset !== end) return undefined
    end += value.length
  }
  return new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset)
}

/** Claims of PCRs 0…n-1 per exact bytes of the values: a machine quotes the same PCRs until it reboots. */
const remembered = new ContentCache<Readonly<JsonObject>>(64)

/** Claims `pcr00`…`pcrNN` (lowercase hex), keyed by PCR index. */
export function pcrClaims(pcrs: ReadonlyMap<number, Uint8Array>): JsonObject {
  const known = knownByMap.get(pcrs)
  if (known !== undefined) {
    known.claims ??= { ...pcrClaimsOf(pcrs) }
    return Object.assign({}, known.claims)
  }
  let i = 0
  for (const index of pcrs.keys()) if (index !== i++) return pcrClaimsOf(pcrs)
  const span = contiguousSpan([...pcrs.values()])
  if (span === undefined || span.length !== pcrs.size * PCR_SIZE) return pcrClaimsOf(pcrs)
  // The template is kept as a spread copy: an object filled by computed names goes to dictionary mode
  // after a dozen properties, and only a fast-mode template makes the per-call copy cheap. The copy is
  // made by Object.assign, not by spreading: V8 (Node 20) adds properties to a spread clone about a
  // microsecond each, and callers add report_data, init_data and the like.
  return Object.assign(
    {},
    remembered.get(span, 'pcrs', () => ({ ...pcrClaimsOf(pcrs) })),
  )
}

function pcrClaimsOf(pcrs: ReadonlyMap<number, Uint8Array>): JsonObject {
  const indexes = [...pcrs.keys()]
  if (!indexes.every((index, i) => i === 0 || (indexes[i - 1] ?? index) < index)) {
    return pcrClaimsOf(new Map([...pcrs].sort(([a], [b]) => a - b)))
  }
  const values = [...pcrs.values()]
  const span = contiguousSpan(values)
  const hex = span === undefined ? undefined : Buffer.from(span.buffer, span.byteOffset, span.length).toString('hex')
  const claims: JsonObject = {}
  let at = 0
  values.forEach((value, i) => {
    const index = indexes[i] ?? 0
    const size = 2 * value.length
    claims[CLAIM_NAMES[index] ?? pcrClaimName(index)] =
      hex === undefined ? Buffer.from(value).toString('hex') : hex.slice(at, at + size)
    at += size
  })
  return claims
}

function pcrClaimName(index: number): string {
  return `pcr${String(index).padStart(2, '0')}`
}
