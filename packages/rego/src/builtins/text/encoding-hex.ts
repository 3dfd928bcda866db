import { builtinError } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { isPrint } from './go-quote.ts'
import { textOperand } from './string-operands.ts'
import { decodeUtf8, utf8Bytes } from './utf8.ts'

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10
  return -1
}

/** Go's InvalidByteError text: `encoding/hex: invalid byte: U+0067 'g'` (%#U of the byte). */
function invalidByte(b: number): Error {
  const code = 'U+' + b.toString(16).toUpperCase().padStart(4, '0')
  const shown = isPrint(b) ? ` '${String.fromCodePoint(b)}'` : ''
  return builtinError(`encoding/hex: invalid byte: ${code}${shown}`)
}

/** hex.DecodeString: a bad character is reported before an odd length. */
function hexDecode(s: string): string {
  const src = utf8Bytes(s)
  const out = new Uint8Array(src.length >> 1)
  let j = 1
  for (; j < src.length; j += 2) {
    const a = hexValue(src[j - 1] as number)
    const b = hexValue(src[j] as number)
    if (a < 0) throw invalidByte(src[j - 1] as number)
    if (b < 0) throw invalidByte(src[j] as number)
    out[(j - 1) >> 1] = (a << 4) | b
  }
  if (src.length % 2 === 1) {
    if (hexValue(src[j - 1] as number) < 0) throw invalidByte(src[j - 1] as number)
    throw builtinError('encoding/hex: odd length hex string')
  }
  return decodeUtf8(out)
}

export const hexBuiltins: readonly BuiltinDef[] = [
  builtin('hex.encode', 1, (args, ctx) => Buffer.from(utf8Bytes(textOperand(args, 0, ctx))).toString('hex')),
  builtin('hex.decode', 1, (args, ctx) => hexDecode(textOperand(args, 0, ctx, true))),
]
