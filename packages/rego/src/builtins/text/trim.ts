import { stringArg } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { textOperand } from './string-operands.ts'

/** unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space property. */
const SPACES = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006,
  0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
])

function trimSet(s: string, keep: (cp: number) => boolean, left: boolean, right: boolean): string {
  const chars = Array.from(s)
  let start = 0
  let end = chars.length
  if (left) while (start < end && !keep(chars[start]?.codePointAt(0) as number)) start++
  if (right) while (end > start && !keep(chars[end - 1]?.codePointAt(0) as number)) end--
  return start === 0 && end === chars.length ? s : chars.slice(start, end).join('')
}

/** strings.Trim/TrimLeft/TrimRight: the cutset is a set of code points. */
function trimCutset(s: string, cutset: string, left: boolean, right: boolean): string {
  if (s === '' || cutset === '') return s
  const cut = new Set(Array.from(cutset, (c) => c.codePointAt(0) as number))
  return trimSet(s, (cp) => !cut.has(cp), left, right)
}

export function trimSpace(s: string): string {
  return trimSet(s, (cp) => !SPACES.has(cp), true, true)
}

export const trimBuiltins: readonly BuiltinDef[] = [
  // The cutset trims go through the text's code points.
  builtin('trim', 2, (args, ctx) => trimCutset(textOperand(args, 0, ctx), stringArg(args, 1), true, true)),
  builtin('trim_left', 2, (args, ctx) => trimCutset(textOperand(args, 0, ctx), stringArg(args, 1), true, false)),
  builtin('trim_right', 2, (args, ctx) => trimCutset(textOperand(args, 0, ctx), stringArg(args, 1), false, true)),
  builtin('trim_prefix', 2, (args) => {
    const s = stringArg(args, 0)
    const prefix = stringArg(args, 1)
    return s.startsWith(prefix) ? s.slice(prefix.length) : s
  }),
  builtin('trim_suffix', 2, (args) => {
    const s = stringArg(args, 0)
    const suffix = stringArg(args, 1)
    return suffix !== '' && s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) : s
  }),
  builtin('trim_space', 1, (args, ctx) => trimSpace(textOperand(args, 0, ctx))),
]
