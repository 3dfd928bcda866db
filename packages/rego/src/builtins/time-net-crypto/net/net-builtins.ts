import { builtin, BuiltinError, type BuiltinContext, type BuiltinDef } from '../../builtin.ts'
import { builtinError, operandTypeError } from '../../args.ts'
import { RegoObject, RegoSet, type Value } from '../../../value/value.ts'
import { mergeNetworks } from './cidr-merge.ts'
import { chargeWork, WorkMeter } from '../../work.ts'
import {
  CidrParseError,
  cidrMask,
  ipString,
  maskIP,
  maskSize,
  netContains,
  parseCIDR,
  parseIP,
  to4,
  type IP,
  type IPNet,
} from './ip.ts'

/** OPA reads every CIDR operand with position 1 in its messages, whichever operand it is. */
function cidrText(v: Value): string {
  if (typeof v !== 'string') throw operandTypeError(1, 'string', v)
  return v
}

function parseNet(text: string): IPNet {
  try {
    return parseCIDR(text).net
  } catch (e) {
    if (e instanceof CidrParseError) throw builtinError(e.message)
    throw e
  }
}

/** The last address of a network, as OPA's getLastIP computes it. */
function lastIP(n: IPNet): IP {
  const [ones, bits] = maskSize(n.mask)
  if (ones === 0 && bits === 0) throw builtinError('CIDR mask is in non-standard format')
  if (ones === bits) return n.ip
  const out = new Uint8Array(bits / 8)
  const src = n.ip.subarray(n.ip.length - out.length)
  for (let i = 0; i < out.length; i++) {
    const hostBits = Math.max(0, Math.min(8, bits - ones - (out.length - 1 - i) * 8))
    out[i] = (src[i] as number) | ((1 << hostBits) - 1)
  }
  return out
}

function cidrContains(a: Value, b: Value): boolean {
  const net = parseNet(cidrText(a))
  const text = cidrText(b)
  const ip = parseIP(text)
  if (ip) return netContains(net, ip)
  let inner: IPNet
  try {
    inner = parseCIDR(text).net
  } catch {
    throw builtinError(`not a valid textual representation of an IP address or CIDR: ${text}`)
  }
  return netContains(net, inner.ip) && netContains(net, lastIP(inner))
}

const ELEMENT_ERROR = 'element must be string or non-empty array'

/** The (cidr, index) pairs of one net.cidr_contains_matches operand. */
function matchTerms(operand: number, v: Value): [Value, Value][] {
  const cidrOf = (x: Value): Value => {
    if (typeof x === 'string') return x
    if (Array.isArray(x) && x.length > 0) return x[0] as Value
    throw builtinError(`operand ${operand}: ${ELEMENT_ERROR}`)
  }
  if (typeof v === 'string') return [[v, v]]
  if (Array.isArray(v)) return v.map((x, i) => [cidrOf(x), i])
  if (v instanceof RegoSet) return v.values().map((x) => [cidrOf(x), x])
  if (v instanceof RegoObject) return v.entries().map(([k, x]) => [cidrOf(x), k])
  return []
}

/** Every pair of the two collections is tested: the product of their sizes, charged. */
function cidrContainsMatches(a: Value, b: Value, ctx: BuiltinContext): Value {
  const out = new RegoSet()
  const left = matchTerms(1, a)
  const right = left.length > 0 ? matchTerms(2, b) : []
  chargeWork(ctx, left.length * right.length)
  for (const [cidr1, index1] of left) {
    for (const [cidr2, index2] of right) {
      if (cidrContains(cidr1, cidr2)) out.add([index1, index2])
    }
  }
  return out
}

/** Enumerating more addresses than this would stall evaluation; OPA cancels by timeout instead. */
const EXPAND_LIMIT = 1 << 24

function cidrExpand(v: Value, ctx: BuiltinContext): Value {
  const text = cidrText(v)
  let parsed: ReturnType<typeof parseCIDR>
  try {
    parsed = parseCIDR(text)
  } catch (e) {
    if (e instanceof CidrParseError) throw builtinError(e.message)
    throw e
  }
  const { net } = parsed
  const ip = maskIP(parsed.ip, net.mask) as IP
  const out = new RegoSet()
  const meter = new WorkMeter(ctx)
  for (let n = 0; netContains(net, ip); n++) {
    if (n >= EXPAND_LIMIT) {
      throw new BuiltinError('eval_builtin_error', 'net.cidr_expand: timed out before generating all IP addresses', {
        halt: true,
      })
    }
    const address = ipString(ip)
    meter.add(1)
    meter.addText(address.length)
    out.add(address)
    for (let j = ip.length - 1; j >= 0; j--) {
      ip[j] = ((ip[j] as number) + 1) & 0xff
      if (ip[j] !== 0) break
    }
  }
  meter.done()
  return out
}

/** An element of net.cidr_merge's operand: a CIDR, or a bare IPv4 address with its classful mask. */
function mergeElement(x: Value): IPNet {
  if (typeof x !== 'string') throw builtinError('element must be string')
  const ip = parseIP(x)
  if (!ip) return parseNet(x)
  const v4 = to4(ip)
  if (!v4) throw builtinError('IPv6 invalid: needs prefix length')
  const first = v4[0] as number
  const ones = first < 0x80 ? 8 : first < 0xc0 ? 16 : 24
  return { ip, mask: cidrMask(ones, 32) }
}

function cidrMerge(v: Value, ctx: BuiltinContext): Value {
  let items: readonly Value[]
  if (Array.isArray(v)) items = v
  else if (v instanceof RegoSet) items = v.values()
  else throw builtinError('operand must be an array')
  chargeWork(ctx, items.length)
  return RegoSet.from(mergeNetworks(items.map(mergeElement)))
}

function cidrIsValid(v: Value): boolean {
  if (typeof v !== 'string') return false
  try {
    parseCIDR(v)
    return true
  } catch {
    return false
  }
}

function cidrIntersects(a: Value, b: Value): boolean {
  const x = parseNet(cidrText(a))
  const y = parseNet(cidrText(b))
  return netContains(x, y.ip) || netContains(y, x.ip)
}

export const netBuiltins: readonly BuiltinDef[] = [
  builtin('net.cidr_contains', 2, (args) => cidrContains(args[0] ?? null, args[1] ?? null)),
  builtin('net.cidr_overlap', 2, (args) => cidrContains(args[0] ?? null, args[1] ?? null), { deprecated: true }),
  builtin('net.cidr_intersects', 2, (args) => cidrIntersects(args[0] ?? null, args[1] ?? null)),
  builtin('net.cidr_contains_matches', 2, (args, ctx) => cidrContainsMatches(args[0] ?? null, args[1] ?? null, ctx)),
  builtin('net.cidr_expand', 1, (args, ctx) => cidrExpand(args[0] ?? null, ctx)),
  builtin('net.cidr_is_valid', 1, (args) => cidrIsValid(args[0] ?? null)),
  builtin('net.cidr_merge', 1, (args, ctx) => cidrMerge(args[0] ?? null, ctx)),
]
