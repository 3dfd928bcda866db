import { builtinError } from '../args.ts'
import { builtin, type BuiltinDef } from '../builtin.ts'
import { chargeWork } from '../work.ts'
import { base64Decode, base64Encode } from './go-base64.ts'
import { textOperand } from './string-operands.ts'
import { decodeUtf8, utf8Bytes } from './utf8.ts'

function decode(s: string, url: boolean): string {
  return decodeUtf8(base64Decode(utf8Bytes(s), url))
}

/** base64url.decode accepts unpadded input, padding it first (RFC 7515 appendix C). */
function decodeUrl(s: string): string {
  let padded = s
  if (!s.endsWith('=')) {
    switch (utf8Bytes(s).length % 4) {
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
  return decode(padded, true)
}

export const base64Builtins: readonly BuiltinDef[] = [
  builtin('base64.encode', 1, (args, ctx) => base64Encode(utf8Bytes(textOperand(args, 0, ctx)), false, true)),
  builtin('base64.decode', 1, (args, ctx) => decode(textOperand(args, 0, ctx, true), false)),
  builtin('base64.is_valid', 1, (args, ctx) => {
    const s = args[0]
    if (typeof s !== 'string') return false
    chargeWork(ctx, s.length)
    try {
      base64Decode(utf8Bytes(s), false)
      return true
    } catch {
      return false
    }
  }),
  builtin('base64url.encode', 1, (args, ctx) => base64Encode(utf8Bytes(textOperand(args, 0, ctx)), true, true)),
  builtin('base64url.encode_no_pad', 1, (args, ctx) => base64Encode(utf8Bytes(textOperand(args, 0, ctx)), true, false)),
  builtin('base64url.decode', 1, (args, ctx) => decodeUrl(textOperand(args, 0, ctx, true))),
]
