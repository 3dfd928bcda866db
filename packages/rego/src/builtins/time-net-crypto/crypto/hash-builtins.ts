import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { builtin, type BuiltinDef } from '../../builtin.ts'
import { stringArg } from '../../args.ts'
import { chargeText } from '../../work.ts'

// Hashing is linear in the text, charged so that a long text hashed many times is counted.

function digest(algorithm: string) {
  return builtin(`crypto.${algorithm}`, 1, (args, ctx) => {
    const text = stringArg(args, 0)
    chargeText(ctx, text.length)
    return createHash(algorithm).update(text, 'utf8').digest('hex')
  })
}

function hmac(algorithm: string) {
  return builtin(`crypto.hmac.${algorithm}`, 2, (args, ctx) => {
    const message = stringArg(args, 0)
    const key = stringArg(args, 1)
    chargeText(ctx, message.length + key.length)
    return createHmac(algorithm, Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex')
  })
}

/** Go's hmac.Equal: constant time for equal lengths, false otherwise. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

export const hashBuiltins: readonly BuiltinDef[] = [
  digest('md5'),
  digest('sha1'),
  digest('sha256'),
  hmac('md5'),
  hmac('sha1'),
  hmac('sha256'),
  hmac('sha512'),
  builtin('crypto.hmac.equal', 2, (args) => {
    const mac1 = stringArg(args, 0)
    const mac2 = stringArg(args, 1)
    return constantTimeEqual(Buffer.from(mac1, 'utf8'), Buffer.from(mac2, 'utf8'))
  }),
]
