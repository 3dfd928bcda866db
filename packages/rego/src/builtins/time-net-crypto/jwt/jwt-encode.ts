import { builtin, type BuiltinDef } from '../../builtin.ts'
import { chargeWrite } from '../../value-work.ts'
import { chargeWork, CHARS_PER_UNIT, PUBLIC_KEY_UNITS } from '../../work.ts'
import { builtinError, stringArg } from '../../args.ts'
import { parseJson } from '../../../value/json.ts'
import { RegoObject, type Value } from '../../../value/value.ts'
import { goJsonSyntaxError, goJsonValid, goMarshal, GoMarshalError } from './go-json.ts'
import { JWS, jwsSign, KeyTypeError, type VerifyKey } from './jws.ts'
import { JwkError, parseJwks } from './jwk.ts'

/** Algorithms the JOSE header's "alg" may name (Go's jwa list, plus EdDSA as current OPA signs it). */
const HEADER_ALGORITHMS = new Set([...Object.keys(JWS), 'none'])

/** Go's name for the type of a key, for "invalid key type" messages. */
function goKeyType(key: VerifyKey): string {
  if (Buffer.isBuffer(key)) return '[]uint8'
  const priv = key.type === 'private'
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return priv ? '*rsa.PrivateKey' : '*rsa.PublicKey'
    case 'ec':
      return priv ? '*ecdsa.PrivateKey' : '*ecdsa.PublicKey'
    default:
      return priv ? 'ed25519.PrivateKey' : 'ed25519.PublicKey'
  }
}

function goJsonKind(v: Value): string {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number' || typeof v === 'bigint') return 'number'
  if (typeof v === 'string') return 'string'
  return Array.isArray(v) ? 'array' : 'object'
}

/** Go's json.Unmarshal of the header bytes into jws.StandardHeaders: returns "alg" and "typ". */
function standardHeaders(bytes: Buffer): { alg: string; typ: string } {
  const syntax = goJsonSyntaxError(bytes)
  if (syntax !== undefined) throw builtinError(syntax)
  const doc = parseJson(bytes.toString('utf8'))
  if (doc === null) return { alg: '', typ: '' }
  if (!(doc instanceof RegoObject)) {
    throw builtinError(`json: cannot unmarshal ${goJsonKind(doc)} into Go value of type jws.StandardHeaders`)
  }
  let alg = ''
  const algValue = doc.get('alg')
  if (algValue !== undefined) {
    const text = typeof algValue === 'string' ? algValue : goMarshal(algValue)
    if (!HEADER_ALGORITHMS.has(text)) throw builtinError('unknown signature algorithm')
    alg = text
  }
  for (const field of ['cty', 'jwk', 'jku', 'kid', 'typ']) {
    const v = doc.get(field)
    if (v !== undefined && v !== null && typeof v !== 'string') {
      throw builtinError(
        `json: cannot unmarshal ${goJsonKind(v)} into Go struct field StandardHeaders.${field} of type string`,
      )
    }
  }
  const typ = doc.get('typ')
  return { alg, typ: typeof typ === 'string' ? typ : '' }
}

/** OPA's commonBuiltinJWTEncodeSign: sign the header and payload bytes exactly as given. */
function encodeSign(headers: Buffer, payload: Buffer, jwkText: string): string {
  let keys
  try {
    keys = parseJwks(jwkText)
  } catch (e) {
    if (e instanceof JwkError) throw builtinError(e.message)
    throw e
  }
  const first = keys[0]
  if (!first) throw builtinError('no keys found in JWK set')
  const { alg, typ } = standardHeaders(headers)
  if ((typ === '' || typ === 'JWT') && !goJsonValid(payload)) throw builtinError('type is JWT but payload is not JSON')
  if (!JWS[alg]) throw builtinError(`failed to create signer: unsupported signature algorithm ${alg}`)
  const input = `${headers.toString('base64url')}.${payload.toString('base64url')}`
  let signature: Buffer
  try {
    signature = jwsSign(alg, first.key, Buffer.from(input, 'utf8'))
  } catch (e) {
    if (e instanceof KeyTypeError) {
      throw builtinError(
        `failed to sign Payload: ${e.message.replace('invalid key type.', `invalid key type ${goKeyType(first.key)}.`)}`,
      )
    }
    throw builtinError(`failed to sign Payload: ${(e as Error).message}`)
  }
  return `${input}.${signature.toString('base64url')}`
}

function marshal(v: Value, what: string): Buffer {
  try {
    return Buffer.from(goMarshal(v), 'utf8')
  } catch (e) {
    if (e instanceof GoMarshalError) throw builtinError(`failed to prepare JWT ${what} for marshalling: ${e.message}`)
    throw e
  }
}

export const jwtEncodeBuiltins: readonly BuiltinDef[] = [
  builtin('io.jwt.encode_sign', 3, (args, ctx) => {
    // The operands are written out as JSON: charged first (they may share subtrees).
    for (const v of args) chargeWrite(ctx, v)
    chargeWork(ctx, PUBLIC_KEY_UNITS)
    const headers = marshal(args[0] ?? null, 'headers')
    const payload = marshal(args[1] ?? null, 'payload')
    const key = marshal(args[2] ?? null, 'signature')
    return encodeSign(headers, payload, key.toString('utf8'))
  }),
  builtin('io.jwt.encode_sign_raw', 3, (args, ctx) => {
    const jwk = stringArg(args, 2)
    const headers = stringArg(args, 0)
    const payload = stringArg(args, 1)
    chargeWork(ctx, PUBLIC_KEY_UNITS + (jwk.length + headers.length + payload.length) / CHARS_PER_UNIT)
    return encodeSign(Buffer.from(headers, 'utf8'), Buffer.from(payload, 'utf8'), jwk)
  }),
]
