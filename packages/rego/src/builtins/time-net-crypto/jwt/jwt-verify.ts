import { createHmac } from 'node:crypto'
import { builtin, type BuiltinContext, type BuiltinDef } from '../../builtin.ts'
import { chargeText, chargeWork, PUBLIC_KEY_UNITS } from '../../work.ts'
import { operandTypeError, stringArg } from '../../args.ts'
import type { Value } from '../../../value/value.ts'
import { constantTimeEqual } from '../crypto/hash-builtins.ts'
import { JWS, jwsVerify } from './jws.ts'
import { decodeHeader, decodeSignature, parseTokenHeader, splitToken } from './token.ts'
import { keysFromCertOrJwk, type VerificationKey } from './verification-keys.ts'

function tryVerify(alg: string, k: VerificationKey, input: Buffer, signature: Buffer, ctx: BuiltinContext): boolean {
  if (!k.key) return false
  // A key set may hold many keys, each tried.
  chargeWork(ctx, PUBLIC_KEY_UNITS)
  try {
    return jwsVerify(alg, k.key, input, signature)
  } catch {
    return false
  }
}

/**
 * OPA's builtinJWTVerify for asymmetric algorithms: the algorithm is the builtin's, not the
 * header's. A key whose "kid" matches the header decides alone; otherwise any key without an
 * "alg", or with the header's "alg", may verify.
 */
export function verifyAsymmetric(alg: string, jwt: Value, keyText: Value, ctx: BuiltinContext): boolean {
  const token = splitToken(jwt)
  if (typeof keyText !== 'string') throw operandTypeError(2, 'string', keyText)
  // Key sets are parsed a character at a time, each key imported.
  chargeWork(ctx, keyText.length)
  const keys = keysFromCertOrJwk(keyText)
  const signature = decodeSignature(token)
  const header = parseTokenHeader(decodeHeader(token))
  const input = Buffer.from(`${token.header}.${token.payload}`, 'utf8')
  if (header.kid !== '') {
    const byKid = keys.find((k) => k.kid === header.kid)
    if (byKid) return tryVerify(alg, byKid, input, signature, ctx)
  }
  for (const k of keys) {
    if (k.alg !== '' && k.alg !== header.alg) continue
    if (tryVerify(alg, k, input, signature, ctx)) return true
  }
  return false
}

function verifyHmac(alg: string, args: readonly Value[], ctx: BuiltinContext): boolean {
  const jwt = stringArg(args, 0)
  const secret = stringArg(args, 1)
  chargeText(ctx, jwt.length + secret.length)
  const token = splitToken(jwt)
  const hash = JWS[alg]?.hash as string
  const mac = createHmac(hash, Buffer.from(secret, 'utf8')).update(`${token.header}.${token.payload}`, 'utf8').digest()
  return constantTimeEqual(decodeSignature(token), mac)
}

const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512']

export const jwtVerifyBuiltins: readonly BuiltinDef[] = [
  ...ASYMMETRIC.map((alg) =>
    builtin(`io.jwt.verify_${alg.toLowerCase()}`, 2, (args, ctx) =>
      verifyAsymmetric(alg, args[0] ?? null, args[1] ?? null, ctx),
    ),
  ),
  builtin('io.jwt.verify_eddsa', 2, (args, ctx) => verifyAsymmetric('EdDSA', args[0] ?? null, args[1] ?? null, ctx)),
  ...['HS256', 'HS384', 'HS512'].map((alg) =>
    builtin(`io.jwt.verify_${alg.toLowerCase()}`, 2, (args, ctx) => verifyHmac(alg, args, ctx)),
  ),
]
