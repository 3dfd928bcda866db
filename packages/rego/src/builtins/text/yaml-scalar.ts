/**
 * How goyaml.v2 (via sigs.k8s.io/yaml, what OPA's yaml.marshal uses) writes a string: plain
 * when libyaml's analysis allows it and the plain text would read back as a string, else
 * single-quoted, else double-quoted; literal block style (`|`) for multi-line strings.
 */

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal'

const RESOLVES_TO_NON_STRING = new Set([
  '',
  '~',
  'null',
  'Null',
  'NULL',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
  '<<',
])

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)$/
const TIMESTAMP =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?)?$/
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/

/** True when goyaml.v2 would read the plain scalar `s` as something other than a string. */
export function resolvesToNonString(s: string): boolean {
  if (RESOLVES_TO_NON_STRING.has(s)) return true
  const c = s[0] as string
  if (c === '.') return YAML_FLOAT.test(s)
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    if (TIMESTAMP.test(s) || BASE60_FLOAT.test(s)) return true
    const plain = s.replace(/_/g, '')
    return GO_INT.test(plain) || YAML_FLOAT.test(plain) || /^-?0b[01]+$/.test(plain)
  }
  return false
}

function isBreak(c: string): boolean {
  return c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029'
}

function isBlankOrEnd(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t' || isBreak(c)
}

/** libyaml's IS_PRINTABLE (with unicode output on). */
export function isYamlPrintable(c: string): boolean {
  const cp = c.codePointAt(0) as number
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) ||
    cp >= 0x10000
  )
}

interface Analysis {
  plain: boolean
  single: boolean
  block: boolean
}

/** yaml_emitter_analyze_scalar, for block context. */
function analyze(s: string): Analysis {
  if (s === '') return { plain: true, single: true, block: false }
  const chars = Array.from(s)
  let indicators = s.startsWith('---') || s.startsWith('...')
  let special = false
  let lineBreaks = false
  let leadingSpace = false
  let leadingBreak = false
  let trailingSpace = false
  let trailingBreak = false
  let breakSpace = false
  let spaceBreak = false
  let previousSpace = false
  let previousBreak = false
  let precededByWhitespace = true
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string
    const followedByWhitespace = isBlankOrEnd(chars[i + 1])
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) indicators = true
      if ((c === '?' || c === ':' || c === '-') && followedByWhitespace) indicators = true
    } else {
      if (c === ':' && followedByWhitespace) indicators = true
      if (c === '#' && precededByWhitespace) indicators = true
    }
    if (!isYamlPrintable(c)) special = true
    if (isBreak(c)) lineBreaks = true
    const last = i === chars.length - 1
    if (c === ' ') {
      if (i === 0) leadingSpace = true
      if (last) trailingSpace = true
      if (previousBreak) breakSpace = true
      previousSpace = true
      previousBreak = false
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true
      if (last) trailingBreak = true
      if (previousSpace) spaceBreak = true
      previousSpace = false
      previousBreak = true
    } else {
      previousSpace = false
      previousBreak = false
    }
    precededByWhitespace = isBlankOrEnd(c)
  }
  let plain = true
  let single = true
  let block = true
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) plain = false
  if (trailingSpace) block = false
  if (breakSpace) plain = single = false
  if (spaceBreak || special) plain = single = block = false
  if (lineBreaks || indicators) plain = false
  return { plain, single, block }
}

/** The style goyaml.v2 ends up with for a string value (`key` for mapping keys). */
export function scalarStyle(s: string, key: boolean): ScalarStyle {
  const a = analyze(s)
  if (s.includes('\n')) return a.block && !key ? 'literal' : 'double'
  let style: ScalarStyle = resolvesToNonString(s) ? 'double' : 'plain'
  if (style === 'plain' && (!a.plain || (s === '' && key))) style = 'single'
  if (style === 'single' && !a.single) style = 'double'
  return style
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\x0b': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\u0085': 'N',
  '\u00a0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
}

/** One character inside a double-quoted scalar. */
export function escapeDoubleQuoted(c: string): string {
  const cp = c.codePointAt(0) as number
  if (isYamlPrintable(c) && !isBreak(c) && c !== '"' && c !== '\\' && cp !== 0xfeff) return c
  const short = ESCAPES[c]
  if (short) return '\\' + short
  if (cp <= 0xff) return '\\x' + cp.toString(16).toUpperCase().padStart(2, '0')
  if (cp <= 0xffff) return '\\u' + cp.toString(16).toUpperCase().padStart(4, '0')
  return '\\U' + cp.toString(16).toUpperCase().padStart(8, '0')
}
