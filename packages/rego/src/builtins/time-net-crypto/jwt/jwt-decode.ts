import { builtin, type BuiltinContext, type BuiltinDef } from '../../builtin.ts'
import { builtinError, objectArg } from '../../args.ts'
import { chargeText, chargeWork, PUBLIC_KEY_UNITS } from '../../work.ts'
import { compareNumbers } from '../../../value/number.ts'
import { RegoObject, type Value } from '../../../value/value.ts'
import { JWS, jwsVerify, KeyTypeError } from './jws.ts'
import {
  decodeHeader,
  decodeSection,
  decodeSignature,
  extractJsonObject,
  headerValid,
  parseTokenHeader,
  splitToken,
  type Token,
} from './token.ts'
import { keysFromCertOrJwk, type VerificationKey } from './verification-keys.ts'

/** io.jwt.decode: header, payload and hex signature; nested tokens (cty "JWT") are unwrapped. */
function decode(v: Value): Value {
  const token = splitToken(v)
  const header = decodeHeader(token)
  const payload = decodeSection(token.payload, 'JWT payload')
  const cty = header.get('cty')
  if (cty === 'JWT') {
    // The inner token may be quoted, as jwt.io writes it.
    return decode(payload.toString('utf8').replace(/^["']+|["']+$/g, ''))
  }
  const claims = extractJsonObject(payload)
  const signature = decodeSection(token.signature, 'JWT signature')
  return [header, claims, signature.toString('hex')]
}

/** Parsed decode_verify constraints. */
interface Constraints {
  keys: VerificationKey[] | undefined
  secret: string
  alg: string
  iss: string
  aud: string
  /** Nanoseconds, as a float (OPA converts with Float64). */
  time: number
}

function constraintTime(v: Value): number {
  if (typeof v !== 'number' && typeof v !== 'bigint') throw builtinError('token time constraint: must be a number')
  const t = Number(v)
  if (t < 0) throw builtinError('token time constraint: must not be negative')
  return t
}

function parseConstraints(o: RegoObject, ctx: BuiltinContext): Constraints {
  const c: Constraints = { keys: undefined, secret: '', alg: '', iss: '', aud: '', time: -1 }
  for (const [k, v] of o.entries()) {
    const name = typeof k === 'string' ? k : JSON.stringify(k)
    switch (name) {
      case 'cert':
        if (typeof v !== 'string') throw builtinError('cert constraint: must be a string')
        // Key sets are parsed a character at a time, each key imported.
        chargeWork(ctx, v.length)
        c.keys = keysFromCertOrJwk(v)
        break
      case 'secret':
      case 'alg':
      case 'iss':
      case 'aud':
        if (typeof v !== 'string') throw builtinError(`${name} constraint: must be a string`)
        c[name] = v
        break
      case 'time':
        c.time = constraintTime(v)
        break
      default:
        throw builtinError(`unknown token validation constraint: ${name}`)
    }
  }
  if (c.time === -1) c.time = constraintTime(ctx.nowNs)
  const keyKinds = (c.keys ? 1 : 0) + (c.secret !== '' ? 1 : 0)
  if (keyKinds > 1) throw builtinError('duplicate key constraints')
  if (keyKinds < 1) throw builtinError('no key constraint')
  return c
}

/**
 * Signature check of decode_verify. With keys, a failure is "not verified"; with a secret, an
 * algorithm that cannot use a secret is an error, as in OPA.
 */
function signatureVerified(
  c: Constraints,
  kid: string,
  alg: string,
  token: Token,
  signature: Buffer,
  ctx: BuiltinContext,
): boolean {
  if (!JWS[alg]) throw builtinError(`unknown JWS algorithm: ${alg}`)
  const input = Buffer.from(`${token.header}.${token.payload}`, 'utf8')
  const attempt = (k: VerificationKey): boolean => {
    if (!k.key) return false
    // A key set may hold many keys, each tried.
    chargeWork(ctx, PUBLIC_KEY_UNITS)
    try {
      return jwsVerify(alg, k.key, input, signature)
    } catch {
      return false
    }
  }
  if (c.keys) {
    if (kid !== '') {
      const byKid = c.keys.find((k) => k.kid === kid)
      if (byKid) return attempt(byKid)
    }
    return c.keys.some((k) => (k.alg === '' || k.alg === alg) && attempt(k))
  }
  try {
    return jwsVerify(alg, Buffer.from(c.secret, 'utf8'), input, signature)
  } catch (e) {
    if (e instanceof KeyTypeError) throw builtinError(e.message)
    throw e
  }
}

const UNVERIFIED: Value = [false, new RegoObject(), new RegoObject()]

function validAudience(aud: Value, want: string): boolean {
  if (typeof aud === 'string') return aud === want
  return Array.isArray(aud) && aud.some((a) => a === want)
}

function decodeVerify(jwt: Value, constraintsArg: RegoObject, ctx: BuiltinContext): Value {
  const c = parseConstraints(constraintsArg, ctx)
  let current: Value = jwt
  let header: RegoObject
  let payload: Buffer
  for (;;) {
    if (typeof current === 'string') chargeText(ctx, current.length)
    const token = splitToken(current)
    header = decodeHeader(token)
    const h = parseTokenHeader(header)
    if (!headerValid(h)) return UNVERIFIED
    if (c.alg !== '' && c.alg !== h.alg) return UNVERIFIED
    const signature = decodeSignature(token)
    if (!signatureVerified(c, h.kid, h.alg, token, signature, ctx)) return UNVERIFIED
    payload = decodeSection(token.payload, 'JWT payload')
    if (h.cty.toUpperCase() !== 'JWT') break
    current = payload.toString('utf8')
  }
  const claims = extractJsonObject(payload)
  if (c.iss !== '' && claims.get('iss') !== c.iss) return UNVERIFIED
  const aud = claims.get('aud')
  if (aud !== undefined ? !validAudience(aud, c.aud) : c.aud !== '') return UNVERIFIED
  const now = c.time / 1e9
  const exp = claims.get('exp')
  if (exp !== undefined) {
    if (typeof exp !== 'number' && typeof exp !== 'bigint') throw builtinError('exp value must be a number')
    if (compareNumbers(now, exp) !== -1) return UNVERIFIED
  }
  const nbf = claims.get('nbf')
  if (nbf !== undefined) {
    if (typeof nbf !== 'number' && typeof nbf !== 'bigint') throw builtinError('nbf value must be a number')
    if (compareNumbers(now, nbf) === -1) return UNVERIFIED
  }
  return [true, header, claims]
}

export const jwtDecodeBuiltins: readonly BuiltinDef[] = [
  builtin('io.jwt.decode', 1, (args, ctx) => {
    const jwt = args[0] ?? null
    if (typeof jwt === 'string') chargeText(ctx, jwt.length)
    return decode(jwt)
  }),
  builtin('io.jwt.decode_verify', 2, (args, ctx) => {
    const constraints = objectArg(args, 1)
    return decodeVerify(args[0] ?? null, constraints, ctx)
  }),
]
