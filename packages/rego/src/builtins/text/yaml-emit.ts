import { formatNumber } from '../../value/number.ts'
import { RegoObject, RegoSet, type Value } from '../../value/value.ts'
import { compareStrings } from '../../value/string-order.ts'
import type { WorkMeter } from '../work.ts'
import { goJsonText } from './go-json.ts'
import { formatFloat } from './go-float.ts'
import { escapeDoubleQuoted, scalarStyle } from './yaml-scalar.ts'

const BEST_WIDTH = 80
const INDENT = 2
const UINT64_MAX = 2n ** 64n - 1n
const INT64_MIN = -(2n ** 63n)

/**
 * YAML text in goyaml.v2's layout (what OPA's yaml.marshal produces through sigs.k8s.io/yaml):
 * two-space indentation, sequences not indented under their key, `{}`/`[]` for empty
 * collections, keys sorted (v2's natural order), long scalars folded at spaces past column 80.
 */
class Emitter {
  out = ''
  column = 0
  /**
   * Counts the text written, a unit per character (the emitter works a character at a time):
   * indentation makes it grow with depth, shared subtrees with their uses.
   */
  readonly meter: WorkMeter | undefined

  constructor(meter: WorkMeter | undefined) {
    this.meter = meter
  }

  write(s: string): void {
    this.meter?.add(s.length)
    this.out += s
    this.column += Array.from(s).length
  }

  newline(indent: number): void {
    this.meter?.add(indent + 1)
    this.out += '\n' + ' '.repeat(indent)
    this.column = indent
  }

  /** Write text that may be folded at single spaces once past the width. */
  private folded(chars: string[], indent: number, fold: boolean, quoted: boolean, escape: (c: string) => string): void {
    let spaces = false
    chars.forEach((c, i) => {
      if (c === ' ') {
        const inner = !quoted || (i !== 0 && i !== chars.length - 1)
        if (fold && !spaces && this.column > BEST_WIDTH && inner && chars[i + 1] !== ' ') this.newline(indent)
        else this.write(c)
        spaces = true
      } else {
        this.write(escape(c))
        spaces = false
      }
    })
  }

  scalarString(s: string, indent: number, key: boolean): void {
    const style = scalarStyle(s, key)
    const chars = Array.from(s)
    const contIndent = indent + INDENT
    switch (style) {
      case 'plain':
        this.folded(chars, contIndent, !key, false, (c) => c)
        return
      case 'single':
        this.write("'")
        this.folded(chars, contIndent, !key, true, (c) => (c === "'" ? "''" : c))
        this.write("'")
        return
      case 'double':
        this.write('"')
        this.folded(chars, contIndent, !key, true, escapeDoubleQuoted)
        this.write('"')
        return
      case 'literal':
        this.literal(s, contIndent)
    }
  }

  private literal(s: string, indent: number): void {
    let header = '|'
    if (s[0] === ' ' || s[0] === '\n') header += String(INDENT)
    if (!s.endsWith('\n')) header += '-'
    else if (s === '\n' || s.endsWith('\n\n')) header += '+'
    this.write(header)
    const body = s.endsWith('\n') ? s.slice(0, -1) : s
    for (const line of body.split('\n')) {
      this.meter?.add(1)
      this.out += '\n'
      this.column = 0
      if (line !== '') this.write(' '.repeat(indent) + line)
    }
  }

  scalar(v: Value, indent: number, key = false): void {
    if (v === null) this.write('null')
    else if (typeof v === 'boolean') this.write(v ? 'true' : 'false')
    else if (typeof v === 'number' && !Number.isInteger(v)) this.write(formatFloat(v, 'g', -1))
    else if (typeof v === 'bigint' && (v < INT64_MIN || v > UINT64_MAX)) this.write(formatFloat(Number(v), 'g', -1))
    else if (typeof v === 'number' || typeof v === 'bigint') this.write(formatNumber(v))
    else if (typeof v === 'string') this.scalarString(v, indent, key)
  }

  /**
   * A node at the top, after `key:` (a mapping at `indent`) or after `- ` (a dash at column
   * `indent`).
   */
  node(v: Value, indent: number, ctx: 'top' | 'value' | 'item'): void {
    this.meter?.add(1)
    const items = Array.isArray(v) ? v : v instanceof RegoSet ? v.values() : undefined
    const entries = v instanceof RegoObject ? sortedEntries(v.entries(), this.meter) : undefined
    const lead = ctx === 'value' ? ' ' : ''
    if (items && items.length > 0) {
      // Sequences under a key are not indented; nested ones start on the dash's line.
      if (ctx === 'value') this.newline(indent)
      const at = ctx === 'item' ? indent + INDENT : indent
      items.forEach((item, i) => {
        if (i > 0) this.newline(at)
        this.write('- ')
        this.node(item, at, 'item')
      })
      return
    }
    if (entries && entries.length > 0) {
      const at = ctx === 'top' ? indent : indent + INDENT
      if (ctx === 'value') this.newline(at)
      entries.forEach(([k, val], i) => {
        if (i > 0) this.newline(at)
        this.scalarString(k, at, true)
        this.write(':')
        this.node(val, at, 'value')
      })
      return
    }
    if (items) {
      this.write(lead + '[]')
      return
    }
    if (entries) {
      this.write(lead + '{}')
      return
    }
    this.write(lead)
    this.scalar(v, ctx === 'top' ? 0 : indent)
  }
}

/** goyaml.v2's key order: code point order, except that runs of digits compare as numbers. */
export function naturalLess(a: string, b: string): boolean {
  const ar = Array.from(a)
  const br = Array.from(b)
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue
    const ac = ar[i] as string
    const bc = br[i] as string
    const al = /\p{L}/u.test(ac)
    const bl = /\p{L}/u.test(bc)
    if (al && bl) return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number)
    if (al || bl) return bl
    let an = 0
    let bn = 0
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && /\p{Nd}/u.test(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = 1
          bn = 1
          break
        }
      }
    }
    let ai = i
    for (; ai < ar.length && /[0-9]/.test(ar[ai] as string); ai++) an = an * 10 + Number(ar[ai])
    let bi = i
    for (; bi < br.length && /[0-9]/.test(br[bi] as string); bi++) bn = bn * 10 + Number(br[bi])
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number)
  }
  return ar.length < br.length
}

function sortedEntries(entries: readonly (readonly [Value, Value])[], meter: WorkMeter | undefined): [string, Value][] {
  const out = entries.map(
    ([k, v]) => [typeof k === 'string' ? k : goJsonText(k, undefined, meter), v] as [string, Value],
  )
  out.sort((x, y) => (naturalLess(x[0], y[0]) ? -1 : naturalLess(y[0], x[0]) ? 1 : compareStrings(x[0], y[0])))
  return out
}

/** The YAML text; `meter` (when given) counts it as it is written. */
export function yamlText(v: Value, meter?: WorkMeter): string {
  const e = new Emitter(meter)
  e.node(v, 0, 'top')
  return e.out + '\n'
}
