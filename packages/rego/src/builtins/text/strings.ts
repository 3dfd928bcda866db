import { toBigInt } from '../../value/number.ts'
import { codePointLength } from '../../value/string-order.ts'
import { RegoSet, type Value } from '../../value/value.ts'
import { builtinError, numberArg, objectArg, operandTypeError, stringArg } from '../args.ts'
import { chargeDecimalOf, chargeLinear, wordsOf } from '../big-integer-work.ts'
import { builtin, BuiltinError, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { chargeText, chargeWork, CHARS_PER_UNIT } from '../work.ts'
import { replaceAll, replacePairs } from './go-replacer.ts'
import { intOperand } from './int-operand.ts'
import { elementTypeError, stringsOperand, textOperand } from './string-operands.ts'
import { isAscii } from './utf8.ts'

function concat(args: readonly Value[], ctx: BuiltinContext): string {
  const sep = stringArg(args, 0)
  const coll = args[1] ?? null
  const items = Array.isArray(coll) ? coll : coll instanceof RegoSet ? coll.values() : undefined
  if (items === undefined) throw operandTypeError(2, ['set', 'array'], coll)
  // One long string may be repeated many times: the result is charged before it is built.
  let chars = sep.length * Math.max(0, items.length - 1)
  for (const x of items) {
    if (typeof x !== 'string') throw elementTypeError(2, coll, x, 'string')
    chars += x.length
  }
  chargeText(ctx, chars)
  return (items as string[]).join(sep)
}

function formatInt(args: readonly Value[], ctx: BuiltinContext): string {
  const input = numberArg(args, 0)
  const base = numberArg(args, 1)
  const radix = Number(base)
  if (radix !== 2 && radix !== 8 && radix !== 10 && radix !== 16) {
    throw new BuiltinError('eval_type_error', 'operand 2 must be one of {2, 8, 10, 16}')
  }
  const whole = toBigInt(input) ?? BigInt(Math.trunc(Number(input)))
  // Decimal text of a huge integer is quadratic in its size; powers of two are linear.
  if (radix === 10) chargeDecimalOf(ctx, whole)
  else chargeLinear(ctx, wordsOf(whole))
  return whole.toString(radix)
}

/** Index in code points of the first match at or after UTF-16 index `from`, or -1. */
function codePointIndex(base: string, search: string, from: number): [number, number] {
  const at = base.indexOf(search, from)
  if (at < 0) return [-1, -1]
  return [at, isAscii(base) ? at : codePointLength(base.slice(0, at))]
}

function searchOperands(args: readonly Value[]): [string, string] {
  const base = stringArg(args, 0)
  const search = stringArg(args, 1)
  if (search === '') throw builtinError('empty search character')
  return [base, search]
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff
}

/** Code point indexes of every match, overlapping ones included; counted in one pass over `base`. */
function indexOfN(args: readonly Value[], ctx: BuiltinContext): Value[] {
  const [base, search] = searchOperands(args)
  const ascii = isAscii(base)
  const out: Value[] = []
  // Code points before `at` are `at` less the surrogate pairs wholly before it.
  let pairs = 0
  let scanned = 0
  for (let at = base.indexOf(search); at >= 0; at = base.indexOf(search, at + 1)) {
    if (!ascii) {
      for (; scanned < at - 1; scanned++) {
        if (isHighSurrogate(base.charCodeAt(scanned)) && isLowSurrogate(base.charCodeAt(scanned + 1))) pairs++
      }
    }
    out.push(at - pairs)
  }
  chargeWork(ctx, out.length)
  return out
}

/** Code point offsets need a pass over the text (a long one may be passed to many calls): charged. */
function substring(args: readonly Value[], ctx: BuiltinContext): string {
  const base = stringArg(args, 0)
  const start = intOperand(args, 1)
  const length = intOperand(args, 2)
  chargeText(ctx, base.length)
  if (start < 0) throw builtinError('negative offset')
  if (isAscii(base)) return length < 0 ? base.slice(start) : base.slice(start, start + length)
  const chars = Array.from(base)
  if (start >= chars.length) return ''
  return (length < 0 ? chars.slice(start) : chars.slice(start, start + length)).join('')
}

/** strings.Count: non-overlapping matches; an empty substring counts code points plus one. */
function countMatches(s: string, sub: string): number {
  if (sub === '') return codePointLength(s) + 1
  let n = 0
  for (let at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length)) n++
  return n
}

function split(s: string, sep: string, ctx: BuiltinContext): string[] {
  const parts = sep === '' ? Array.from(s) : s.split(sep)
  chargeWork(ctx, parts.length + s.length / CHARS_PER_UNIT)
  return parts
}

/** unicode.ToUpper/ToLower per code point: simple case mapping, never changing the length. */
function mapCase(s: string, upper: boolean, ctx: BuiltinContext): string {
  chargeText(ctx, s.length)
  if (isAscii(s)) return upper ? s.toUpperCase() : s.toLowerCase()
  let out = ''
  for (const ch of s) {
    if (!upper && ch === '\u0130') {
      out += 'i'
      continue
    }
    const mapped = upper ? ch.toUpperCase() : ch.toLowerCase()
    out += mapped.length === ch.length || Array.from(mapped).length === 1 ? mapped : ch
  }
  return out
}

function replaceN(args: readonly Value[], ctx: BuiltinContext): string {
  const patterns = objectArg(args, 0)
  const s = stringArg(args, 1)
  const pairs: [string, string][] = []
  for (const [k, v] of patterns.entries()) {
    if (typeof k !== 'string')
      throw new BuiltinError('eval_type_error', 'operand 1 non-string key found in pattern object')
    if (typeof v !== 'string')
      throw new BuiltinError('eval_type_error', 'operand 1 non-string value found in pattern object')
    pairs.push([k, v])
  }
  return replacePairs(s, pairs, ctx)
}

/** Every string against every affix: the product of the two sizes, charged. */
function anyMatch(args: readonly Value[], ctx: BuiltinContext, test: (s: string, affix: string) => boolean): boolean {
  const strs = stringsOperand(args, 0)
  const affixes = stringsOperand(args, 1)
  chargeWork(ctx, strs.length * affixes.length)
  return strs.some((s) => affixes.some((a) => test(s, a)))
}

export const stringBuiltins: readonly BuiltinDef[] = [
  builtin('concat', 2, concat),
  builtin('contains', 2, (args) => stringArg(args, 0).includes(stringArg(args, 1))),
  builtin('startswith', 2, (args) => stringArg(args, 0).startsWith(stringArg(args, 1))),
  builtin('endswith', 2, (args) => stringArg(args, 0).endsWith(stringArg(args, 1))),
  builtin('format_int', 2, formatInt),
  builtin('indexof', 2, (args, ctx) => {
    const [base, search] = searchOperands(args)
    chargeText(ctx, base.length)
    return codePointIndex(base, search, 0)[1]
  }),
  builtin('indexof_n', 2, indexOfN),
  builtin('lower', 1, (args, ctx) => mapCase(stringArg(args, 0), false, ctx)),
  builtin('upper', 1, (args, ctx) => mapCase(stringArg(args, 0), true, ctx)),
  builtin('replace', 3, (args, ctx) => replaceAll(stringArg(args, 0), stringArg(args, 1), stringArg(args, 2), ctx)),
  builtin('split', 2, (args, ctx) => split(stringArg(args, 0), stringArg(args, 1), ctx)),
  builtin('substring', 3, substring),
  builtin('strings.count', 2, (args, ctx) => countMatches(textOperand(args, 0, ctx), stringArg(args, 1))),
  builtin('strings.replace_n', 2, replaceN),
  builtin('strings.reverse', 1, (args, ctx) => {
    const s = stringArg(args, 0)
    chargeText(ctx, s.length)
    return Array.from(s).reverse().join('')
  }),
  builtin('strings.any_prefix_match', 2, (args, ctx) => anyMatch(args, ctx, (s, p) => s.startsWith(p))),
  builtin('strings.any_suffix_match', 2, (args, ctx) => anyMatch(args, ctx, (s, p) => s.endsWith(p))),
]
