import type { Value } from '../../value/value.ts'
import { builtinError, stringArg } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { globsIntersect } from './globs-intersect.ts'
import { intOperand } from './int-operand.ts'
import { compileRegex, goRegexp, parseRegex } from './regex-cache.ts'
import { regexReplaceAll } from './regex-replace.ts'
import { compileRegexTemplate } from './regex-template.ts'
import { utf8Length } from './utf8.ts'

function regexMatch(args: readonly Value[]): boolean {
  const pattern = stringArg(args, 0)
  const s = stringArg(args, 1)
  return compileRegex(pattern).test(s)
}

function isValid(args: readonly Value[]): boolean {
  const v = args[0]
  if (typeof v !== 'string') return false
  try {
    parseRegex(v)
    return true
  } catch {
    return false
  }
}

/** Regexp.Split(s, -1). */
function regexSplit(args: readonly Value[]): string[] {
  const pattern = stringArg(args, 0)
  const s = stringArg(args, 1)
  const re = compileRegex(pattern)
  if (pattern !== '' && s === '') return ['']
  const matches = goRegexp(re).findAllIndex(s, -1) ?? []
  const out: string[] = []
  let beg = 0
  let end = 0
  for (const [start, stop] of matches as [number, number][]) {
    end = start
    if (stop !== 0) out.push(s.slice(beg, end))
    beg = stop
  }
  if (end !== s.length) out.push(s.slice(beg))
  return out
}

function findN(args: readonly Value[]): string[] {
  const pattern = stringArg(args, 0)
  const s = stringArg(args, 1)
  const n = intOperand(args, 2)
  const re = compileRegex(pattern)
  if (n === 0) return []
  return goRegexp(re).findAll(s, n < 0 ? utf8Length(s) + 1 : n) ?? []
}

function findAllSubmatchN(args: readonly Value[]): string[][] {
  const pattern = stringArg(args, 0)
  const s = stringArg(args, 1)
  const n = intOperand(args, 2)
  const re = compileRegex(pattern)
  if (n === 0) return []
  const matches = goRegexp(re).findAllSubmatch(s, n < 0 ? utf8Length(s) + 1 : n) ?? []
  return matches.map((groups) => groups.map((g) => g ?? ''))
}

function templateMatch(args: readonly Value[]): boolean {
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
  return compileRegexTemplate(template, open, close).test(s)
}

export const regexBuiltins: readonly BuiltinDef[] = [
  builtin('regex.match', 2, regexMatch),
  builtin('re_match', 2, regexMatch, { deprecated: true }),
  builtin('regex.is_valid', 1, isValid),
  builtin('regex.split', 2, regexSplit),
  builtin('regex.find_n', 3, findN),
  builtin('regex.find_all_string_submatch_n', 3, findAllSubmatchN),
  builtin('regex.replace', 3, (args) => {
    const s = stringArg(args, 0)
    const pattern = stringArg(args, 1)
    const template = stringArg(args, 2)
    return regexReplaceAll(compileRegex(pattern), s, template)
  }),
  builtin('regex.template_match', 4, templateMatch),
  builtin('regex.globs_match', 2, (args) => globsIntersect(stringArg(args, 0), stringArg(args, 1))),
]
