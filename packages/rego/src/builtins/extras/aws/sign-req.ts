import { toJsonText } from '../../../value/json.ts'
import { toBigInt } from '../../../value/number.ts'
import { RegoObject, type Value } from '../../../value/value.ts'
import { numberArg, objectArg, operandTypeError } from '../../args.ts'
import { builtin, type BuiltinContext, type BuiltinDef } from '../../builtin.ts'
import { chargeWrite } from '../../value-work.ts'
import { nameSet, operandError, validateRequestKeys } from '../http/request-keys.ts'
import { signV4 } from './sigv4.ts'

const REQUIRED_CONFIG = ['aws_access_key', 'aws_region', 'aws_secret_access_key', 'aws_service']

function str(v: Value | undefined): string {
  return typeof v === 'string' ? v : ''
}

function validateConfig(config: RegoObject): void {
  const missing = REQUIRED_CONFIG.filter((k) => !config.has(k))
  if (missing.length > 0) throw operandError(2, `missing required AWS config parameters(s): ${nameSet(missing)}`)
  const invalid = REQUIRED_CONFIG.filter((k) => typeof config.get(k) !== 'string')
  if (invalid.length > 0)
    throw operandError(2, `invalid values for required AWS config parameters(s): ${nameSet(invalid)}`)
}

/** The parts of a URL that signing uses, split as Go's net/url does for well-formed URLs. */
function splitUrl(url: string): { host: string; escapedPath: string; rawQuery: string } {
  let rest = url.split('#')[0] ?? ''
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:/.exec(rest)
  if (scheme) rest = rest.slice(scheme[0].length)
  let host = ''
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?]/)
    const authority = end < 0 ? rest.slice(2) : rest.slice(2, 2 + end)
    host = authority.slice(authority.lastIndexOf('@') + 1)
    rest = end < 0 ? '' : rest.slice(2 + end)
  }
  const q = rest.indexOf('?')
  return q < 0
    ? { host, escapedPath: rest, rawQuery: '' }
    : { host, escapedPath: rest.slice(0, q), rawQuery: rest.slice(q + 1) }
}

/** encoding/json's output for a value: compact, with <, > and & escaped. */
function goJson(v: Value): string {
  return toJsonText(v).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'))
}

/** The payload signed: the raw body, or the body's JSON text (charged first: it may be huge). */
function requestBody(req: RegoObject, ctx: BuiltinContext): Buffer {
  const raw = req.get('raw_body')
  if (raw !== undefined) {
    chargeWrite(ctx, raw)
    return Buffer.from(str(raw), 'utf8')
  }
  const body = req.get('body')
  if (body !== undefined) {
    chargeWrite(ctx, body)
    return Buffer.from(goJson(body), 'utf8')
  }
  return Buffer.alloc(0)
}

function signRequest(args: readonly Value[], ctx: BuiltinContext): Value {
  const req = objectArg(args, 0)
  const config = objectArg(args, 1)
  validateConfig(config)
  const ts = numberArg(args, 2)
  const ns = toBigInt(ts)
  // OPA needs an int64 written as an integer literal; negative stamps are rejected here since
  // a literal like -1e9 is not one and we no longer see how a number was written.
  if (ns === undefined || ns < 0n || ns > 0x7fffffffffffffffn) {
    throw operandError(3, 'could not convert time_ns value into a unix timestamp')
  }
  validateRequestKeys(req, 1)
  const headersValue = req.get('headers')
  let headers = new RegoObject()
  if (headersValue !== undefined) {
    if (!(headersValue instanceof RegoObject)) throw operandTypeError(0, 'object', headersValue)
    headers = headersValue
  }
  const invalid = ['method', 'url'].filter((k) => typeof req.get(k) !== 'string')
  if (invalid.length > 0)
    throw operandError(1, `invalid values for required request parameters(s): ${nameSet(invalid)}`)
  const url = splitUrl(str(req.get('url')))
  const body = requestBody(req, ctx)
  const headerMap = new Map<string, string>()
  for (const [k, v] of headers.entries()) headerMap.set(str(k), str(v))
  const disable = config.get('disable_payload_signing')
  if (disable !== undefined && typeof disable !== 'boolean') {
    throw operandError(2, "invalid value for 'disable_payload_signing' in AWS config")
  }
  const { authorization, awsHeaders } = signV4({
    headers: headerMap,
    method: str(req.get('method')),
    host: url.host,
    escapedPath: url.escapedPath,
    rawQuery: url.rawQuery,
    body,
    service: str(config.get('aws_service')),
    credentials: {
      accessKey: str(config.get('aws_access_key')),
      secretKey: str(config.get('aws_secret_access_key')),
      region: str(config.get('aws_region')),
      sessionToken: str(config.get('aws_session_token')),
    },
    timeMs: Number(ns / 1_000_000n),
    disablePayloadSigning: disable === true,
  })
  const signed = new RegoObject()
  for (const [k, v] of headerMap) signed.set(k, v)
  signed.set('Authorization', authorization)
  for (const [k, v] of awsHeaders) signed.set(k, v)
  return req.clone().set('headers', signed)
}

export const awsBuiltins: readonly BuiltinDef[] = [
  builtin('providers.aws.sign_req', 3, (args, ctx) => signRequest(args, ctx)),
]
