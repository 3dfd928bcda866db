import type { Value } from '../../value/value.ts'
import { operandTypeError, stringArg } from '../args.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { compileGlob, quoteGlobMeta } from './glob-compile.ts'
import { chargeCompile, chargeSearch, LruCache } from './regex-cache.ts'
import type { RE2JS } from 're2js'
import { elementTypeError } from './string-operands.ts'

const cache = new LruCache<RE2JS>(100)

/** The delimiters operand: null means none, an empty array means `.`. */
function delimiters(v: Value): string[] {
  if (v === null) return []
  if (!Array.isArray(v)) throw operandTypeError(2, ['array', 'null'], v)
  const out = v.map((x) => {
    if (typeof x !== 'string') throw elementTypeError(2, v, x, 'string')
    if (Array.from(x).length !== 1) throw elementTypeError(2, v, x, 'rune')
    return x
  })
  return out.length === 0 ? ['.'] : out
}

function globMatch(args: readonly Value[], ctx: BuiltinContext): boolean {
  const pattern = stringArg(args, 0)
  const delims = delimiters(args[1] ?? null)
  const s = stringArg(args, 2)
  const key = `${pattern}-${delims.join('')}`
  let re = cache.get(key)
  if (!re) {
    chargeCompile(ctx, pattern)
    re = compileGlob(pattern, delims)
    cache.set(key, re)
  }
  chargeSearch(ctx, re, s)
  return re.matches(s)
}

export const globBuiltins: readonly BuiltinDef[] = [
  builtin('glob.match', 3, globMatch),
  builtin('glob.quote_meta', 1, (args) => quoteGlobMeta(stringArg(args, 0))),
]
