import { CborMap, CborTag, readCbor, type CborValue } from '../cbor-reader.ts'
import { RvpsError } from '../errors.ts'
import type { ExtractedReferenceValue } from '../reference-value.ts'
import { decodeStandardBase64 } from '../standard-base64.ts'

const TAG_UNSIGNED_CORIM = 501
const TAG_COSE_SIGN1 = 18
const TAG_COMID = 506
const TAG_UUID = 37
const TAG_RAW_BYTES = 560

/** Upstream drops leading tag headers 500 and 502 (`d9 01 f4`, `d9 01 f6`) before decoding. */
function stripOuterTags(bytes: Uint8Array): Uint8Array {
  let rest = bytes
  while (rest.length >= 3 && rest[0] === 0xd9 && rest[1] === 0x01 && (rest[2] === 0xf4 || rest[2] === 0xf6)) {
    rest = rest.subarray(3)
  }
  return rest
}

function invalid(why: string): never {
  throw new RvpsError('INVALID_PAYLOAD', `CoRIM: ${why}`)
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex')
}

function uuidText(bytes: Uint8Array): string {
  const h = hex(bytes)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

function mapAt(value: CborValue, what: string): CborMap {
  if (!(value instanceof CborMap)) invalid(`${what} is not a map`)
  return value
}

function arrayAt(value: CborValue, what: string): CborValue[] {
  if (!Array.isArray(value)) invalid(`${what} is not an array`)
  return value
}

/** Path component of a measured-element key: text as is, uint as `claim<n>`, UUID as text; others none. */
function measurementKey(mkey: CborValue): string | undefined {
  if (typeof mkey === 'string') return mkey
  if (typeof mkey === 'number' && Number.isInteger(mkey) && mkey >= 0) return `claim${mkey}`
  if (typeof mkey === 'bigint' && mkey >= 0n) return `claim${mkey}`
  if (mkey instanceof CborTag && mkey.tag === TAG_UUID) {
    if (!(mkey.value instanceof Uint8Array) || mkey.value.length !== 16) invalid('a UUID is not 16 bytes')
    return uuidText(mkey.value)
  }
  return undefined
}

function extractFromComid(comid: CborMap, out: ExtractedReferenceValue[]): void {
  const triples = mapAt(comid.get(4), 'CoMID triples')
  const referenceTriples = triples.get(0)
  if (referenceTriples === undefined) return
  for (const triple of arrayAt(referenceTriples, 'reference-triples')) {
    const [environment, claims] = arrayAt(triple, 'reference triple')
    const base: string[] = []
    const classMap = mapAt(environment, 'environment').get(0)
    if (classMap !== undefined) {
      const cls = mapAt(classMap, 'class')
      const vendor = cls.get(1)
      const model = cls.get(2)
      if (typeof vendor === 'string') base.push(vendor)
      if (typeof model === 'string') base.push(model)
    }
    for (const claim of arrayAt(claims, 'reference claims')) {
      const measurement = mapAt(claim, 'measurement')
      const path = [...base]
      const mkey = measurement.get(0)
      const key = mkey === undefined ? undefined : measurementKey(mkey)
      if (key !== undefined) path.push(key)
      const mval = mapAt(measurement.get(1), 'measurement values')
      const name = mval.get(11)
      const serial = mval.get(8)
      if (typeof name === 'string') path.push(name)
      if (typeof serial === 'string') path.push(serial)
      const digests = mval.get(2)
      if (digests !== undefined) {
        const values = arrayAt(digests, 'digests').map((digest) => {
          const value = arrayAt(digest, 'digest')[1]
          if (!(value instanceof Uint8Array)) invalid('a digest value is not a byte string')
          return hex(value)
        })
        out.push({ name: [...path, 'digests'].join('/'), value: values })
      }
      const raw = mval.get(4)
      if (raw instanceof CborTag && raw.tag === TAG_RAW_BYTES) {
        if (!(raw.value instanceof Uint8Array)) invalid('a raw value is not a byte string')
        out.push({ name: [...path, 'raw_bytes'].join('/'), value: hex(raw.value) })
      }
    }
  }
}

/**
 * The `corim` provenance: base64 of an unsigned CoRIM (CBOR tag 501), read as upstream does.
 * For each reference triple of each CoMID tag (506), each measurement gives
 * `<vendor>/<model>/<mkey>/<name>/<serial>/digests` (hex list of its digests) and
 * `…/raw_bytes` (hex of a tagged raw value), absent components left out. Signed CoRIMs
 * (COSE_Sign1) are refused: upstream would take them without checking the signature.
 */
export function extractCorim(payload: string): ExtractedReferenceValue[] {
  const document = readCbor(stripOuterTags(decodeStandardBase64(payload, 'corim payload')))
  if (document instanceof CborTag && document.tag === TAG_COSE_SIGN1) {
    throw new RvpsError('UNSUPPORTED_TYPE', 'signed CoRIM (COSE_Sign1) is not supported: register it unsigned')
  }
  if (!(document instanceof CborTag) || document.tag !== TAG_UNSIGNED_CORIM) {
    invalid('not an unsigned CoRIM (CBOR tag 501)')
  }
  const corim = mapAt(document.value, 'corim-map')
  const out: ExtractedReferenceValue[] = []
  for (const tag of arrayAt(corim.get(1), 'CoRIM tags')) {
    if (tag instanceof CborTag && tag.tag === TAG_COMID) {
      if (!(tag.value instanceof Uint8Array)) invalid('a CoMID tag does not hold a byte string')
      extractFromComid(mapAt(readCbor(tag.value), 'CoMID'), out)
    } else if (tag instanceof Uint8Array) {
      // Untagged bytes may hold a CoMID (upstream tries, and skips what does not parse).
      let comid: CborValue
      try {
        comid = readCbor(tag)
      } catch {
        continue
      }
      if (comid instanceof CborMap && comid.get(4) instanceof CborMap) extractFromComid(comid, out)
    }
    // Other tags (CoSWID, CoTL, …) carry no reference values here.
  }
  return out
}
