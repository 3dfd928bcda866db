import { BuiltinError } from '../builtin.ts'

/**
 * Go's encoding/base64 with padding (StdEncoding, URLEncoding): `\r` and `\n` are skipped,
 * padding is required, trailing bits need not be zero, and errors name the offending byte
 * offset as Go's CorruptInputError does.
 */
const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Go's CorruptInputError, as the builtin error OPA reports. */
function corrupt(offset: number): BuiltinError {
  return new BuiltinError('eval_builtin_error', `illegal base64 data at input byte ${offset}`)
}

export function base64Encode(bytes: Uint8Array, url: boolean, pad: boolean): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(url ? 'base64url' : 'base64')
  // Node pads standard base64 and never base64url.
  if (!url || !pad) return text
  return text + '='.repeat((4 - (text.length % 4)) % 4)
}

function decodeMap(alphabet: string): Int16Array {
  const map = new Int16Array(256).fill(-1)
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i
  return map
}

const STD_MAP = decodeMap(STD)
const URL_MAP = decodeMap(URL)

function isNewline(b: number | undefined): boolean {
  return b === 0x0a || b === 0x0d
}

/** Decode padded base64; throws Go's error as a BuiltinError. */
export function base64Decode(src: Uint8Array, url: boolean): Uint8Array {
  const map = url ? URL_MAP : STD_MAP
  const out: number[] = []
  let si = 0
  for (;;) {
    const quantum = [0, 0, 0, 0]
    let dlen = 4
    let j = 0
    let done = false
    while (j < 4) {
      if (si === src.length) {
        if (j === 0) return Uint8Array.from(out)
        throw corrupt(si - j)
      }
      const c = src[si] as number
      si++
      const v = map[c] as number
      if (v >= 0) {
        quantum[j++] = v
        continue
      }
      if (isNewline(c)) continue
      if (c !== 0x3d || j < 2) throw corrupt(si - 1)
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++
        if (si === src.length) throw corrupt(src.length)
        if (src[si] !== 0x3d) throw corrupt(si - 1)
        si++
      }
      while (si < src.length && isNewline(src[si])) si++
      if (si < src.length) throw corrupt(si)
      dlen = j
      done = true
      break
    }
    const v =
      ((quantum[0] as number) << 18) |
      ((quantum[1] as number) << 12) |
      ((quantum[2] as number) << 6) |
      (quantum[3] as number)
    out.push((v >> 16) & 255)
    if (dlen >= 3) out.push((v >> 8) & 255)
    if (dlen === 4) out.push(v & 255)
    if (done) return Uint8Array.from(out)
  }
}
