function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 97 && c <= 102) return c - 87
  if (c >= 65 && c <= 70) return c - 55
  return -1
}

function readHex4(text: string, at: number): number {
  let v = 0
  for (let k = 0; k < 4; k++) {
    const h = hexValue(text.charCodeAt(at + k))
    if (h < 0) return -1
    v = v * 16 + h
  }
  return v
}

const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  34: '"',
  92: '\\',
  47: '/',
  98: '\b',
  102: '\f',
  110: '\n',
  114: '\r',
  116: '\t',
}

/**
 * Decodes the inside of a double-quoted string literal (text[from, to)) that contains escapes,
 * with JSON's rules as OPA applies them: raw control characters are rejected, `\uXXXX` pairs
 * form surrogate pairs and a lone surrogate becomes U+FFFD (as Go's decoder does).
 * Returns undefined when the literal is not valid JSON.
 */
export function decodeEscapedString(text: string, from: number, to: number): string | undefined {
  const parts: string[] = []
  let runStart = from
  let i = from
  while (i < to) {
    const c = text.charCodeAt(i)
    if (c < 0x20) return undefined
    if (c !== 92) {
      i++
      continue
    }
    if (i > runStart) parts.push(text.slice(runStart, i))
    const e = text.charCodeAt(i + 1)
    const simple = SIMPLE_ESCAPES[e]
    if (simple !== undefined) {
      parts.push(simple)
      i += 2
    } else if (e === 117) {
      if (i + 6 > to) return undefined
      const unit = readHex4(text, i + 2)
      if (unit < 0) return undefined
      i += 6
      if (unit >= 0xd800 && unit <= 0xdbff) {
        const low =
          i + 6 <= to && text.charCodeAt(i) === 92 && text.charCodeAt(i + 1) === 117 ? readHex4(text, i + 2) : -1
        if (low >= 0xdc00 && low <= 0xdfff) {
          parts.push(String.fromCharCode(unit, low))
          i += 6
        } else {
          parts.push('\ufffd')
        }
      } else if (unit >= 0xdc00 && unit <= 0xdfff) {
        parts.push('\ufffd')
      } else {
        parts.push(String.fromCharCode(unit))
      }
    } else {
      return undefined
    }
    runStart = i
  }
  if (runStart < to) parts.push(text.slice(runStart, to))
  return parts.join('')
}
