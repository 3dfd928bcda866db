import { builtinError } from '../args.ts'
import type { WorkMeter } from '../work.ts'
import type { BuiltinError } from '../builtin.ts'

/**
 * regex.globs_match: whether two "regex-like globs" (`.` any character, `[...]` sets, `+` and
 * `*` flags on the preceding token, `\` escapes) match a common non-empty string. This follows
 * the token-walking algorithm of github.com/yashtewari/glob-intersection, which OPA uses, so
 * answers and error messages agree with OPA (including that algorithm's approximations).
 */

const NONE = 0
const PLUS = 1
const STAR = 2

interface Token {
  readonly kind: 'char' | 'dot' | 'set'
  readonly rune: number
  readonly runes: ReadonlySet<number>
  flag: number
}

const END = Symbol('end of input')

function invalid(input: readonly number[], index: number, message: string): BuiltinError {
  return builtinError(
    `input:${String.fromCodePoint(...input)}, pos:${index}, ${message}: the input provided is invalid`,
  )
}

type RuneResult = { index: number; rune: number; escaped: boolean } | typeof END

function nextRune(index: number, input: readonly number[]): RuneResult {
  if (index >= input.length) return END
  if (input[index] === 0x5c) {
    if (index < input.length - 1) return { index: index + 2, rune: input[index + 1] as number, escaped: true }
    throw invalid(input, index, 'input ends with a \\ (escape) character')
  }
  return { index: index + 1, rune: input[index] as number, escaped: false }
}

function nextTokenSet(index: number, input: readonly number[], meter: WorkMeter): { index: number; token: Token } {
  const runes = new Set<number>()
  let prev = 0
  let prevExists = false
  let complete = false
  let at = index
  for (let r = nextRune(at, input); r !== END; r = nextRune(at, input)) {
    at = r.index
    if (!r.escaped && r.rune === 0x2d) {
      if (!prevExists) throw invalid(input, at, "range character '-' must be preceded by a Unicode character")
      if (at >= input.length - 1)
        throw invalid(input, at, "range character '-' must be followed by a Unicode character")
      const hi = nextRune(at, input)
      if (hi === END) break
      at = hi.index
      if (!hi.escaped && (hi.rune === 0x5d || hi.rune === 0x2d)) {
        throw invalid(input, at, "range character '-' cannot be followed by a special symbol")
      }
      if (hi.rune < prev) {
        throw invalid(
          input,
          at,
          `range is out of order: '${String.fromCodePoint(hi.rune)}' comes before '${String.fromCodePoint(prev)}' in Unicode`,
        )
      }
      // A range of five characters may hold a million code points.
      meter.add(hi.rune - prev + 1)
      for (let x = prev; x <= hi.rune; x++) runes.add(x)
      prevExists = false
    } else if (!r.escaped && r.rune === 0x5d) {
      complete = true
      break
    } else {
      runes.add(r.rune)
      prev = r.rune
      prevExists = true
    }
  }
  if (!complete) throw invalid(input, at, 'found [ without matching ]')
  return { index: at, token: { kind: 'set', rune: 0, runes, flag: NONE } }
}

function flagOf(rune: number): number {
  return rune === 0x2b ? PLUS : rune === 0x2a ? STAR : NONE
}

function tokenize(input: readonly number[], meter: WorkMeter): Token[] {
  const tokens: Token[] = []
  let index = 0
  for (let r = nextRune(index, input); r !== END; r = nextRune(index, input)) {
    index = r.index
    let token: Token
    if (r.escaped) token = { kind: 'char', rune: r.rune, runes: new Set(), flag: NONE }
    else if (r.rune === 0x2e) token = { kind: 'dot', rune: 0, runes: new Set(), flag: NONE }
    else if (r.rune === 0x5b) {
      const set = nextTokenSet(index, input, meter)
      index = set.index
      token = set.token
    } else if (r.rune === 0x5d) throw invalid(input, index, "set-close ']' with no preceding '['")
    else if (flagOf(r.rune) !== NONE) {
      throw invalid(input, index, `flag '${String.fromCodePoint(r.rune)}' must be preceded by a non-flag`)
    } else token = { kind: 'char', rune: r.rune, runes: new Set(), flag: NONE }
    const f = nextRune(index, input)
    if (f !== END && !f.escaped && flagOf(f.rune) !== NONE) {
      token.flag = flagOf(f.rune)
      index = f.index
    }
    tokens.push(token)
  }
  return tokens
}

function sameContent(a: Token, b: Token, meter: WorkMeter): boolean {
  if (a.kind !== b.kind) return false
  if (a.kind === 'char') return a.rune === b.rune
  if (a.kind === 'set') {
    meter.add(a.runes.size / 16)
    return a.runes.size === b.runes.size && [...a.runes].every((r) => b.runes.has(r))
  }
  return true
}

/** Merge runs of equal flagged tokens: `a*a+` is `a+`, `a*a*` is `a*`. */
function simplify(tokens: Token[], meter: WorkMeter): Token[] {
  const out: Token[] = []
  for (const t of tokens) {
    const last = out[out.length - 1]
    if (last && t.flag !== NONE && last.flag !== NONE && sameContent(t, last, meter)) {
      last.flag = t.flag === PLUS || last.flag === PLUS ? PLUS : STAR
    } else out.push(t)
  }
  return out
}

function match(a: Token, b: Token, meter: WorkMeter): boolean {
  if (a.kind === 'dot' || b.kind === 'dot') return true
  if (a.kind === 'char' && b.kind === 'char') return a.rune === b.rune
  if (a.kind === 'char') return b.runes.has(a.rune)
  if (b.kind === 'char') return a.runes.has(b.rune)
  const [small, large] = a.runes.size <= b.runes.size ? [a.runes, b.runes] : [b.runes, a.runes]
  meter.add(small.size / 16)
  for (const r of small) if (large.has(r)) return true
  return false
}

function trimGlobs(g1: Token[], g2: Token[], meter: WorkMeter): [Token[], Token[]] | undefined {
  let l = 0
  for (; l < g1.length && l < g2.length && g1[l]?.flag === NONE && g2[l]?.flag === NONE; l++) {
    if (!match(g1[l] as Token, g2[l] as Token, meter)) return undefined
  }
  if (l > 0) l--
  let r1 = g1.length - 1
  let r2 = g2.length - 1
  for (; r1 >= 0 && r1 >= l && r2 >= 0 && r2 >= l && g1[r1]?.flag === NONE && g2[r2]?.flag === NONE; r1--, r2--) {
    if (!match(g1[r1] as Token, g2[r2] as Token, meter)) return undefined
  }
  if (r1 < g1.length - 1) {
    r1++
    r2++
  }
  return [g1.slice(l, r1 + 1), g2.slice(l, r2 + 1)]
}

/**
 * The algorithm's walk over two token lists, on suffixes given by offsets. Results depend only
 * on the two suffixes (and their order), so they are memoized: the plain recursion retries the
 * same suffixes exponentially often (`a*.*a*.*a*.*b.*` against forty `a`s). Each step is
 * charged all the same.
 */
class Intersection {
  private readonly memo = new Map<string, boolean>()
  private readonly first: Token[]
  private readonly meter: WorkMeter

  constructor(first: Token[], meter: WorkMeter) {
    this.first = first
    this.meter = meter
  }

  normal(g1: Token[], i0: number, g2: Token[], j0: number): boolean {
    const key = `${g1 === this.first ? 'a' : 'b'}${i0},${j0}`
    const known = this.memo.get(key)
    if (known !== undefined) return known
    let result: boolean | undefined
    let i = i0
    let j = j0
    for (; i < g1.length && j < g2.length; i++, j++) {
      this.meter.add(1)
      const a = g1[i] as Token
      const b = g2[j] as Token
      if (a.flag === NONE && b.flag === NONE) {
        if (!match(a, b, this.meter)) {
          result = false
          break
        }
      } else {
        result = this.special(g1, i, g2, j)
        break
      }
    }
    result ??= i === g1.length && j === g2.length
    this.memo.set(key, result)
    return result
  }

  private special(g1: Token[], i: number, g2: Token[], j: number): boolean {
    const first = g1[i] as Token
    if (first.flag !== NONE) return first.flag === PLUS ? this.plus(g1, i, g2, j) : this.star(g1, i, g2, j)
    const second = g2[j] as Token
    if (second.flag === PLUS) return this.plus(g2, j, g1, i)
    if (second.flag === STAR) return this.star(g2, j, g1, i)
    return false
  }

  private plus(plussed: Token[], i: number, other: Token[], j: number): boolean {
    const first = other[j]
    if (first === undefined || !match(plussed[i] as Token, first, this.meter)) return false
    return this.star(plussed, i, other, j + 1)
  }

  private star(starred: Token[], i: number, other: Token[], j0: number): boolean {
    const star = starred[i] as Token
    const next = starred[i + 1]
    for (let j = j0; j < other.length; j++) {
      this.meter.add(1)
      const t = other[j] as Token
      if (next !== undefined && match(t, next, this.meter)) {
        if (this.normal(starred, i + 1, other, j)) return true
        if (!match(t, star, this.meter)) return false
      } else if (!match(t, star, this.meter)) return false
    }
    return next === undefined
  }
}

function parse(glob: string, meter: WorkMeter): Token[] {
  return simplify(
    tokenize(
      Array.from(glob, (c) => c.codePointAt(0) as number),
      meter,
    ),
    meter,
  )
}

export function globsIntersect(lhs: string, rhs: string, meter: WorkMeter): boolean {
  const g1 = parse(lhs, meter)
  const g2 = parse(rhs, meter)
  const trimmed = trimGlobs(g1, g2, meter)
  return trimmed !== undefined && new Intersection(trimmed[0], meter).normal(trimmed[0], 0, trimmed[1], 0)
}
