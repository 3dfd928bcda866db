/**
 * Go's strconv quoting (Quote, QuoteToASCII, QuoteRune, CanBackquote), used by sprintf's %q and
 * by error messages that print values with %q.
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u

/** unicode.IsPrint: graphic characters and the ASCII space, no other spaces. */
export function isPrint(cp: number): boolean {
  if (cp === 0x20) return true
  if (cp < 0x20 || cp === 0x7f) return false
  return PRINTABLE.test(String.fromCodePoint(cp))
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0')
}

function escapeRune(cp: number, quote: string, asciiOnly: boolean): string {
  const ch = String.fromCodePoint(cp)
  if (ch === quote || ch === '\\') return '\\' + ch
  if (asciiOnly ? cp < 0x80 && isPrint(cp) : isPrint(cp)) return ch
  switch (cp) {
    case 0x07:
      return '\\a'
    case 0x08:
      return '\\b'
    case 0x0c:
      return '\\f'
    case 0x0a:
      return '\\n'
    case 0x0d:
      return '\\r'
    case 0x09:
      return '\\t'
    case 0x0b:
      return '\\v'
    default:
      break
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + hex(cp, 2)
  if (cp < 0x10000) return '\\u' + hex(cp, 4)
  return '\\U' + hex(cp, 8)
}

function runes(s: string): number[] {
  const out: number[] = []
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number
    // A lone surrogate is what Go would hold as invalid bytes, shown as U+FFFD.
    out.push(cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp)
  }
  return out
}

/** strconv.Quote (asciiOnly: strconv.QuoteToASCII). */
export function goQuote(s: string, asciiOnly = false): string {
  let out = '"'
  for (const cp of runes(s)) out += escapeRune(cp, '"', asciiOnly)
  return out + '"'
}

/** strconv.QuoteRune (asciiOnly: QuoteRuneToASCII). Invalid code points print as U+FFFD. */
export function goQuoteRune(cp: number, asciiOnly = false): string {
  const r = cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0 ? 0xfffd : cp
  return "'" + escapeRune(r, "'", asciiOnly) + "'"
}

/** strconv.CanBackquote: a single-line string without control characters other than tab. */
export function canBackquote(s: string): boolean {
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number
    if (cp === 0x60 || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff)) return false
    if (cp < 0x20 && cp !== 0x09) return false
    if (cp === 0x7f) return false
  }
  return true
}
