import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { builtinError, operandTypeError, stringArg } from '../args.ts'
import { builtin, BuiltinError, type BuiltinDef } from '../builtin.ts'
import { goQuote } from './go-quote.ts'
import { goJsonText } from './go-json.ts'
import { compareStrings } from '../../value/string-order.ts'
import { decodeUtf8, utf8Bytes } from './utf8.ts'
import { textOperand } from './string-operands.ts'
import { chargeWrite } from '../value-work.ts'

/** url.QueryEscape: everything but letters, digits and `-_.~` is %XX; space is `+`. */
export function queryEscape(s: string): string {
  let out = ''
  for (const b of utf8Bytes(s)) {
    const c = String.fromCharCode(b)
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c
    else if (b === 0x20) out += '+'
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

function hexDigit(b: number | undefined): number {
  if (b === undefined) return -1
  if (b >= 0x30 && b <= 0x39) return b - 0x30
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10
  return -1
}

/** url.QueryUnescape: `+` is a space; a bad escape is `invalid URL escape "%zz"`. */
export function queryUnescape(s: string): string {
  const src = utf8Bytes(s)
  const out: number[] = []
  for (let i = 0; i < src.length; i++) {
    const b = src[i] as number
    if (b === 0x25) {
      const hi = hexDigit(src[i + 1])
      const lo = hexDigit(src[i + 2])
      if (hi < 0 || lo < 0) {
        const bad = decodeUtf8(src.slice(i, Math.min(i + 3, src.length)))
        throw builtinError(`invalid URL escape ${goQuote(bad)}`)
      }
      out.push((hi << 4) | lo)
      i += 2
    } else out.push(b === 0x2b ? 0x20 : b)
  }
  return decodeUtf8(Uint8Array.from(out))
}

const valuesError = new BuiltinError(
  'eval_type_error',
  'operand 1 values must be string, array[string], or set[string]',
)

function encodeObject(args: readonly Value[]): string {
  const obj = args[0] ?? null
  if (!(obj instanceof RegoObject)) throw operandTypeError(1, 'object', obj)
  const params = new Map<string, string[]>()
  for (const [k, v] of obj.entries()) {
    const key = typeof k === 'string' ? k : goJsonText(k)
    if (typeof v === 'string') params.set(key, [v])
    else if (Array.isArray(v) || v instanceof RegoSet) {
      const items = Array.isArray(v) ? v : v.values()
      const strs = items.map((x) => {
        if (typeof x !== 'string') throw valuesError
        return x
      })
      if (strs.length > 0) params.set(key, strs)
    } else throw valuesError
  }
  const parts: string[] = []
  for (const key of [...params.keys()].sort(compareStrings)) {
    for (const v of params.get(key) ?? []) parts.push(`${queryEscape(key)}=${queryEscape(v)}`)
  }
  return parts.join('&')
}

/** url.ParseQuery; like Go, a bad pair is skipped but its error is still returned. */
function decodeObject(args: readonly Value[]): Value {
  const query = stringArg(args, 0)
  const params = new Map<string, string[]>()
  let firstError: Error | undefined
  for (const part of query === '' ? [] : query.split('&')) {
    if (part.includes(';')) {
      firstError ??= builtinError('invalid semicolon separator in query')
      continue
    }
    if (part === '') continue
    const eq = part.indexOf('=')
    try {
      const key = queryUnescape(eq < 0 ? part : part.slice(0, eq))
      const value = queryUnescape(eq < 0 ? '' : part.slice(eq + 1))
      const list = params.get(key) ?? []
      list.push(value)
      params.set(key, list)
    } catch (e) {
      firstError ??= e as Error
    }
  }
  if (firstError) throw firstError
  const out = new RegoObject()
  for (const [k, vs] of params) out.set(k, vs)
  return out
}

export const urlQueryBuiltins: readonly BuiltinDef[] = [
  builtin('urlquery.encode', 1, (args, ctx) => queryEscape(textOperand(args, 0, ctx, true))),
  builtin('urlquery.decode', 1, (args, ctx) => queryUnescape(textOperand(args, 0, ctx, true))),
  builtin('urlquery.encode_object', 1, (args, ctx) => {
    chargeWrite(ctx, args[0] ?? null)
    return encodeObject(args)
  }),
  builtin('urlquery.decode_object', 1, (args, ctx) => decodeObject([textOperand(args, 0, ctx, true)])),
]
