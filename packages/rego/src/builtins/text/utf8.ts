/**
 * Go strings are UTF-8 byte sequences; Rego values here are JS strings. These helpers convert
 * between the two the way Go does: a lone surrogate becomes U+FFFD when encoded, and each byte of
 * an invalid sequence decodes to its own U+FFFD (utf8.DecodeRune's rule).
 */
const encoder = new TextEncoder()

export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s)
}

export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff
}

/** Decode UTF-8 like Go's range loop over a string: every invalid byte yields U+FFFD. */
export function decodeUtf8(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  while (i < bytes.length) {
    const [cp, width] = decodeRune(bytes, i)
    out += String.fromCodePoint(cp)
    i += width
  }
  return out
}

/** One rune at `i`: [code point, width]; invalid encodings give [0xfffd, 1]. */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  const b0 = b[i] as number
  if (b0 < 0x80) return [b0, 1]
  const cont = (k: number): number => {
    const x = b[i + k]
    return x !== undefined && (x & 0xc0) === 0x80 ? x & 0x3f : -1
  }
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    const c1 = cont(1)
    if (c1 >= 0) return [((b0 & 0x1f) << 6) | c1, 2]
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    const c1 = cont(1)
    const c2 = cont(2)
    if (c1 >= 0 && c2 >= 0) {
      const cp = ((b0 & 0x0f) << 12) | (c1 << 6) | c2
      if (cp >= 0x800 && (cp < 0xd800 || cp > 0xdfff)) return [cp, 3]
    }
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    const c1 = cont(1)
    const c2 = cont(2)
    const c3 = cont(3)
    if (c1 >= 0 && c2 >= 0 && c3 >= 0) {
      const cp = ((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3
      if (cp >= 0x10000 && cp <= 0x10ffff) return [cp, 4]
    }
  }
  return [0xfffd, 1]
}

/** The code points of a string (a lone surrogate counts as one, like Go's U+FFFD would). */
export function codePoints(s: string): string[] {
  return Array.from(s)
}

/** True when every UTF-16 unit is ASCII, so unit indices are code point and byte indices. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false
  return true
}
