import { BuiltinError } from '../../builtin.ts'
import { builtinError, operandTypeError } from '../../args.ts'
import { parseJson } from '../../../value/json.ts'
import { RegoObject, type Value } from '../../../value/value.ts'
import { decodeBase64UrlLenient } from '../crypto/go-base64.ts'
import { goJsonSyntaxError } from './go-json.ts'

/** The three base64url sections of a compact JWS. */
export interface Token {
  header: string
  payload: string
  signature: string
}

/** OPA's decodeJWT: split a compact token (operand errors name position 1). */
export function splitToken(v: Value): Token {
  if (typeof v !== 'string') throw operandTypeError(1, 'string', v)
  if (!v.includes('.')) throw builtinError('encoded JWT had no period separators')
  const parts = v.split('.')
  if (parts.length !== 3) throw builtinError(`encoded JWT must have 3 sections, found ${parts.length}`)
  return { header: parts[0] as string, payload: parts[1] as string, signature: parts[2] as string }
}

/** base64url.decode whose error text is returned to the caller for wrapping. */
export function base64UrlBytes(s: string): { bytes: Buffer } | { error: string } {
  try {
    return { bytes: decodeBase64UrlLenient(s) }
  } catch (e) {
    if (e instanceof BuiltinError) return { error: e.message }
    throw e
  }
}

/** Decoded section, or a builtin error "`what` had invalid encoding: ...". */
export function decodeSection(s: string, what: string): Buffer {
  const r = base64UrlBytes(s)
  if ('error' in r) throw builtinError(`${what} had invalid encoding: ${r.error}`)
  return r.bytes
}

/** The signature bytes; a decoding error is reported bare, as OPA's decodeSignature does. */
export function decodeSignature(token: Token): Buffer {
  const r = base64UrlBytes(token.signature)
  if ('error' in r) throw builtinError(r.error)
  return r.bytes
}

/** OPA's extractJSONObject over decoded bytes. */
export function extractJsonObject(bytes: Buffer): RegoObject {
  const syntax = goJsonSyntaxError(bytes)
  if (syntax !== undefined) throw builtinError(`invalid JSON: ${syntax}`)
  const v = parseJson(new TextDecoder().decode(bytes))
  if (!(v instanceof RegoObject)) throw builtinError('decoded JSON type was not an Object')
  return v
}

/** The decoded, validated JOSE header (JWE is refused). */
export function decodeHeader(token: Token): RegoObject {
  const bytes = decodeSection(token.header, 'JWT header')
  let header: RegoObject
  try {
    header = extractJsonObject(bytes)
  } catch (e) {
    if (e instanceof BuiltinError) throw builtinError(`bad JWT header: ${e.message}`)
    throw e
  }
  if (header.has('enc')) throw builtinError('JWT is a JWE object, which is not supported')
  return header
}

/** The header parameters OPA interprets. */
export interface TokenHeader {
  alg: string
  kid: string
  typ: string
  cty: string
  crit: Set<string>
  unknown: string[]
}

/** OPA's parseTokenHeader, with its error texts. */
export function parseTokenHeader(decoded: RegoObject): TokenHeader {
  const h: TokenHeader = { alg: '', kid: '', typ: '', cty: '', crit: new Set(), unknown: [] }
  for (const [k, v] of decoded.entries()) {
    const name = k as string
    switch (name) {
      case 'alg':
      case 'kid':
      case 'typ':
      case 'cty':
        if (typeof v !== 'string') throw builtinError(`${name}: must be a string`)
        h[name] = v
        break
      case 'crit':
        if (!Array.isArray(v)) throw builtinError('crit: must be a list')
        for (const c of v) if (typeof c === 'string') h.crit.add(c)
        if (h.crit.size === 0) throw builtinError('crit: must be a nonempty list')
        break
      default:
        h.unknown.push(name)
    }
  }
  return h
}

/** RFC 7515: "alg" must be present, and no critical parameter may be unknown. */
export function headerValid(h: TokenHeader): boolean {
  return h.alg !== '' && !h.unknown.some((u) => h.crit.has(u))
}
