import { RegoError } from '../../errors.ts'
import type { Value } from '../../value/value.ts'
import { builtinError, stringArg } from '../args.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../builtin.ts'
import { WorkMeter } from '../work.ts'
import { globsIntersect } from './globs-intersect.ts'
import { intOperand } from './int-operand.ts'
import { chargeSearch, compileRegex } from './regex-cache.ts'
import { MATCH_UNITS, regexMatches } from './regex-find.ts'
import { regexReplaceAll } from './regex-replace.ts'
import { compileRegexTemplate } from './regex-template.ts'
import { utf8Length } from './utf8.ts'

function regexMatch(args: readonly Value[], ctx: BuiltinContext): boolean {
  const pattern = stringArg(args, 0)
  const s = stringArg(args, 1)
  const re = compileRegex(pattern, ctx)
  chargeSearch(ctx, re, s)
  return re.test(s)
}

function isValid(args: readonly Value[], ctx: BuiltinContext): boolean {
  const v = args[0]
  if (typeof v !== 'string') return false
  try {
    compileRegex(v, ctx)
    return true
  } catch (e) {
    // Running out of the evaluation's bounds is no answer.
    if (e instanceof RegoError) throw e
    return false
  }
}

/** Regexp.Split(s, -1). */
function regexSplit(args: readonly Value[], ctx: BuiltinContext): string[] {
  const pattern = stringArg(args, 0)
  const s = stringArg(args, 1)
  const re = compileRegex(pattern, ctx)
  if (pattern !== '' && s === '') return ['']
  chargeSearch(ctx, re, s)
  const meter = new WorkMeter(ctx)
  const out: string[] = []
  let beg = 0
  let end = 0
  for (const [start, stop] of regexMatches(re, s) as Generator<[number, number]>) {
    meter.add(MATCH_UNITS)
    end = start
    if (stop !== 0) out.push(s.slice(beg, end))
    beg = stop
  }
  if (end !== s.length) out.push(s.slice(beg))
  meter.done()
  return out
}

/** The count operand of the find builtins: all matches when negative. */
function matchLimit(args: readonly Value[]): number {
  const n = intOperand(args, 2)
  return n < 0 ? Infinity : n
}

function findN(args: readonly Value[], ctx: BuiltinContext): string[] {
  const pattern = stringArg(args, 0)
  const s = stringArg(args, 1)
  const n = matchLimit(args)
  const re = compileRegex(pattern, ctx)
  const out: string[] = []
  if (n === 0) return out
  chargeSearch(ctx, re, s)
  const meter = new WorkMeter(ctx)
  for (const [start, end] of regexMatches(re, s) as Generator<[number, number]>) {
    meter.add(MATCH_UNITS)
    out.push(s.slice(start, end))
    if (out.length >= n) break
  }
  meter.done()
  return out
}

function findAllSubmatchN(args: readonly Value[], ctx: BuiltinContext): string[][] {
  const pattern = stringArg(args, 0)
  const s = stringArg(args, 1)
  const n = matchLimit(args)
  const re = compileRegex(pattern, ctx)
  const out: string[][] = []
  if (n === 0) return out
  chargeSearch(ctx, re, s)
  const meter = new WorkMeter(ctx)
  for (const m of regexMatches(re, s)) {
    const groups: string[] = []
    for (let g = 0; g < m.length; g += 2) {
      const start = m[g] as number
      groups.push(start < 0 ? '' : s.slice(start, m[g + 1]))
    }
    meter.add(MATCH_UNITS + groups.length)
    out.push(groups)
    if (out.length >= n) break
  }
  meter.done()
  return out
}

function templateMatch(args: readonly Value[], ctx: BuiltinContext): boolean {
  const template = stringArg(args, 0)
  const s = stringArg(args, 1)
  const open = stringArg(args, 2)
  const close = stringArg(args, 3)
  const openLength = utf8Length(open)
  if (openLength !== 1)
    throw builtinError(`start delimiter has to be exactly one character long but is ${openLength} long`)
  // OPA reports the start delimiter's length here too.
  if (utf8Length(close) !== 1)
    throw builtinError(`end delimiter has to be exactly one character long but is ${openLength} long`)
  const re = compileRegexTemplate(template, open, close, ctx)
  chargeSearch(ctx, re, s)
  return re.test(s)
}

export const regexBuiltins: readonly BuiltinDef[] = [
  builtin('regex.match', 2, regexMatch),
  builtin('re_match', 2, regexMatch, { deprecated: true }),
  builtin('regex.is_valid', 1, isValid),
  builtin('regex.split', 2, regexSplit),
  builtin('regex.find_n', 3, findN),
  builtin('regex.find_all_string_submatch_n', 3, findAllSubmatchN),
  builtin('regex.replace', 3, (args, ctx) => {
    const s = stringArg(args, 0)
    const pattern = stringArg(args, 1)
    const template = stringArg(args, 2)
    const re = compileRegex(pattern, ctx)
    chargeSearch(ctx, re, s)
    const meter = new WorkMeter(ctx)
    const out = regexReplaceAll(re, s, template, meter)
    meter.done()
    return out
  }),
  builtin('regex.template_match', 4, templateMatch),
  builtin('regex.globs_match', 2, (args, ctx) => {
    const meter = new WorkMeter(ctx)
    const result = globsIntersect(stringArg(args, 0), stringArg(args, 1), meter)
    meter.done()
    return result
  }),
]
