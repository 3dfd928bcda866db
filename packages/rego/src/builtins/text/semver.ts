import type { Value } from '../../value/value.ts'
import { builtinError, stringArg } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { goQuote } from './go-quote.ts'

/** A parsed Semantic Version, as OPA's internal/semver reads it. */
interface Version {
  major: bigint
  minor: bigint
  patch: bigint
  preRelease: string
}

const IDENTIFIERS = /^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/
const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

function cut(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep)
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)]
}

/** strconv.ParseInt(s, 10, 64). */
function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined
  const n = BigInt(s)
  return n < INT64_MIN || n > INT64_MAX ? undefined : n
}

/** An optional `v`, then major.minor.patch with optional `-prerelease` and `+metadata`. */
export function parseSemver(text: string): Version | undefined {
  const [rest, metadata] = cut(text.startsWith('v') ? text.slice(1) : text, '+')
  if (metadata !== '' && !IDENTIFIERS.test(metadata)) return undefined
  const [version, preRelease] = cut(rest, '-')
  if (preRelease !== '' && !IDENTIFIERS.test(preRelease)) return undefined
  if (version.split('.').length !== 3) return undefined
  const [major, minor, patch] = version.split('.').map(parseInt64)
  if (major === undefined || minor === undefined || patch === undefined) return undefined
  return { major, minor, patch, preRelease }
}

function isAllDecimals(s: string): boolean {
  return /^[0-9]+$/.test(s)
}

function cmp<T extends bigint | string>(a: T, b: T): number {
  return a > b ? 1 : a < b ? -1 : 0
}

/** SemVer precedence: numbers, then a release above its pre-releases, then identifiers. */
export function compareSemver(v: Version, o: Version): number {
  const byNumbers = cmp(v.major, o.major) || cmp(v.minor, o.minor) || cmp(v.patch, o.patch)
  if (byNumbers !== 0) return byNumbers
  if (v.preRelease === o.preRelease) return 0
  if (v.preRelease === '') return 1
  if (o.preRelease === '') return -1
  const as = v.preRelease.split('.')
  const bs = o.preRelease.split('.')
  for (let i = 0; ; i++) {
    const a = as[i]
    const b = bs[i]
    if (a === undefined) return b === undefined ? 0 : -1
    if (b === undefined) return 1
    const aInt = isAllDecimals(a)
    const bInt = isAllDecimals(b)
    if (aInt !== bInt) return aInt ? -1 : 1
    const c = aInt ? cmp(BigInt(a), BigInt(b)) : cmp(a, b)
    if (c !== 0) return c
  }
}

function semverCompare(args: readonly Value[]): number {
  const a = stringArg(args, 0)
  const b = stringArg(args, 1)
  const va = parseSemver(a)
  if (!va) throw builtinError(`operand 1: string ${goQuote(a)} is not a valid SemVer`)
  const vb = parseSemver(b)
  if (!vb) throw builtinError(`operand 2: string ${goQuote(b)} is not a valid SemVer`)
  return compareSemver(va, vb)
}

export const semverBuiltins: readonly BuiltinDef[] = [
  builtin('semver.compare', 2, semverCompare),
  builtin('semver.is_valid', 1, (args) => typeof args[0] === 'string' && parseSemver(args[0]) !== undefined),
]
