import { normalizeBig } from '../../value/number.ts'
import { keyOf, RegoObject, type Value } from '../../value/value.ts'
import { stringArg } from '../args.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../builtin.ts'

/** 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch. */
const GREGORIAN_OFFSET = 122192928000000000n

/**
 * google/uuid's Parse: 36 characters with dashes, or wrapped in `{}` (38), or prefixed with
 * `urn:uuid:` (45), or 32 bare hex digits. Returns the 16 bytes.
 */
function parseUuidBytes(s: string): Uint8Array | undefined {
  let hex: string
  if (s.length === 36 || s.length === 38 || s.length === 45) {
    let body = s
    if (s.length === 45) {
      if (s.slice(0, 9).toLowerCase() !== 'urn:uuid:') return undefined
      body = s.slice(9)
    } else if (s.length === 38) {
      if (s[0] !== '{' || s[37] !== '}') return undefined
      body = s.slice(1, 37)
    }
    if (body[8] !== '-' || body[13] !== '-' || body[18] !== '-' || body[23] !== '-') return undefined
    hex = body.slice(0, 8) + body.slice(9, 13) + body.slice(14, 18) + body.slice(19, 23) + body.slice(24)
  } else if (s.length === 32) hex = s
  else return undefined
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined
  return Uint8Array.from(Buffer.from(hex, 'hex'))
}

function variantName(b: number): string {
  if ((b & 0xc0) === 0x80) return 'RFC4122'
  if ((b & 0xe0) === 0xc0) return 'Microsoft'
  if ((b & 0xe0) === 0xe0) return 'Future'
  return 'Reserved'
}

function macVariables(b: number): string {
  if ((b & 0x03) === 0x03) return 'local:multicast'
  if ((b & 0x01) === 0x01) return 'global:multicast'
  if ((b & 0x02) === 0x02) return 'local:unicast'
  return 'global:unicast'
}

function uint(bytes: Uint8Array, from: number, to: number): bigint {
  let n = 0n
  for (let i = from; i < to; i++) n = (n << 8n) | BigInt(bytes[i] as number)
  return n
}

/** uuid.parse: version and variant, plus the time, clock and node fields of v1/v2 UUIDs. */
function uuidParse(args: readonly Value[]): Value | undefined {
  const bytes = parseUuidBytes(stringArg(args, 0))
  if (!bytes) return undefined
  const version = (bytes[6] as number) >> 4
  const out = new RegoObject().set('version', version).set('variant', variantName(bytes[8] as number))
  if (version === 1 || version === 2) {
    const time = uint(bytes, 0, 4) | (uint(bytes, 4, 6) << 32n) | ((uint(bytes, 6, 8) & 0xfffn) << 48n)
    const since = time - GREGORIAN_OFFSET
    out.set('time', normalizeBig((since / 10_000_000n) * 1_000_000_000n + (since % 10_000_000n) * 100n))
    const node = bytes.slice(10, 16)
    out.set('nodeid', Array.from(node, (b) => b.toString(16).padStart(2, '0')).join('-'))
    out.set('macvariables', macVariables(node[0] as number))
    out.set('clocksequence', Number(uint(bytes, 8, 10) & 0x3fffn))
    if (version === 2) {
      out.set('id', normalizeBig(uint(bytes, 0, 4)))
      const domain = bytes[9] as number
      out.set('domain', ['Person', 'Group', 'Org'][domain] ?? `Domain${domain}`)
    }
  }
  return out
}

/** A random version 4 UUID, the same for equal arguments within one evaluation. */
function uuidRfc4122(args: readonly Value[], ctx: BuiltinContext): Value {
  const key = `uuid.rfc4122/${keyOf(args[0] ?? null)}`
  const cached = ctx.memo.get(key)
  if (cached !== undefined) return cached
  const b = Uint8Array.from({ length: 16 }, () => Math.floor(ctx.random() * 256) & 0xff)
  b[8] = ((b[8] as number) & 0x3f) | 0x80
  b[6] = ((b[6] as number) & 0x0f) | 0x40
  const hex = Buffer.from(b).toString('hex')
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  ctx.memo.set(key, id)
  return id
}

export const uuidBuiltins: readonly BuiltinDef[] = [
  builtin('uuid.parse', 1, uuidParse),
  builtin('uuid.rfc4122', 1, uuidRfc4122, { nondeterministic: true }),
]
