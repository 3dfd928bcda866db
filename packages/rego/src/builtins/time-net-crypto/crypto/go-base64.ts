import { builtinError } from '../../args.ts'

/**
 * Go's encoding/base64 decoder (padded alphabets, non-strict): CR and LF are skipped, and
 * errors name the offending input byte exactly as Go does ("illegal base64 data at input byte 4").
 * OPA reports these messages to policy authors, so the offsets matter.
 */

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

function decodeMap(alphabet: string): Int16Array {
  const m = new Int16Array(256).fill(-1)
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i
  return m
}

const STD_MAP = decodeMap(STD)
const URL_MAP = decodeMap(URL)

export class Base64Error extends Error {
  readonly offset: number
  constructor(offset: number) {
    super(`illegal base64 data at input byte ${offset}`)
    this.name = 'Base64Error'
    this.offset = offset
  }
}

function decode(src: Uint8Array, map: Int16Array): Buffer {
  const out: number[] = []
  let si = 0
  const isNL = (c: number | undefined) => c === 0x0a || c === 0x0d
  for (;;) {
    const dbuf = [0, 0, 0, 0]
    let dlen = 4
    let trailing: Base64Error | undefined
    let j = 0
    for (; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return Buffer.from(out)
        throw new Base64Error(si - j)
      }
      const c = src[si] as number
      si++
      const v = map[c] as number
      if (v >= 0) {
        dbuf[j] = v
        continue
      }
      if (isNL(c)) {
        j--
        continue
      }
      if (c !== 0x3d) throw new Base64Error(si - 1)
      // Padding: only after two or three symbols.
      if (j === 0 || j === 1) throw new Base64Error(si - 1)
      if (j === 2) {
        while (si < src.length && isNL(src[si])) si++
        if (si === src.length) throw new Base64Error(src.length)
        if (src[si] !== 0x3d) throw new Base64Error(si - 1)
        si++
      }
      while (si < src.length && isNL(src[si])) si++
      if (si < src.length) trailing = new Base64Error(si)
      dlen = j
      break
    }
    const val =
      ((dbuf[0] as number) << 18) | ((dbuf[1] as number) << 12) | ((dbuf[2] as number) << 6) | (dbuf[3] as number)
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff]
    out.push(...bytes.slice(0, dlen - 1))
    if (trailing) throw trailing
    if (dlen < 4) return Buffer.from(out)
  }
}

/** base64.StdEncoding.DecodeString. */
export function decodeStdBase64(s: string | Uint8Array): Buffer {
  return decode(typeof s === 'string' ? Buffer.from(s, 'utf8') : s, STD_MAP)
}

/** base64.URLEncoding.DecodeString. */
export function decodeUrlBase64(s: string | Uint8Array): Buffer {
  return decode(typeof s === 'string' ? Buffer.from(s, 'utf8') : s, URL_MAP)
}

/**
 * OPA's base64url.decode: padding is optional (added back per RFC 7515 appendix C), then the
 * padded URL alphabet decodes. Errors become builtin errors with Go's text.
 */
export function decodeBase64UrlLenient(s: string): Buffer {
  let padded = s
  if (!s.endsWith('=')) {
    const bytes = Buffer.byteLength(s, 'utf8')
    switch (bytes % 4) {
      case 0:
        break
      case 2:
        padded += '=='
        break
      case 3:
        padded += '='
        break
      default:
        throw builtinError(`illegal base64url string: ${s}`)
    }
  }
  try {
    return decodeUrlBase64(padded)
  } catch (e) {
    if (e instanceof Base64Error) throw builtinError(e.message)
    throw e
  }
}

/** Std-alphabet decode whose failure is a builtin error with Go's message. */
export function decodeStdBase64OrThrow(s: string): Buffer {
  try {
    return decodeStdBase64(s)
  } catch (e) {
    if (e instanceof Base64Error) throw builtinError(e.message)
    throw e
  }
}
