import { decodeBase64Std, encodeBase64Std, goJsonString } from './base64-std.ts'
import { OcicryptError } from './ocicrypt-error.ts'

// ocicrypt key-provider JSON messages (spec §4.3), byte-exact with Go's encoding/json: struct field
// order, sorted map keys, `[]byte` as padded base64, nil as null.

/** `EncryptConfig.Parameters` / `DecryptConfig.Parameters`: scheme or provider name → values. */
export type KeyProviderParameters = Readonly<Record<string, readonly Uint8Array[]>>

function encodeParameters(parameters: KeyProviderParameters): string {
  const entries = Object.entries(parameters)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, values]) => `${goJsonString(k)}:[${values.map((v) => `"${encodeBase64Std(v)}"`).join(',')}]`)
  return `{"Parameters":{${entries.join(',')}}}`
}

export function encodeKeyWrapRequest(
  parameters: KeyProviderParameters,
  optsData: Uint8Array,
  decryptParameters: KeyProviderParameters = {},
): string {
  const ec = `${encodeParameters(parameters).slice(0, -1)},"DecryptConfig":${encodeParameters(decryptParameters)}}`
  return (
    `{"op":"keywrap","keywrapparams":{"ec":${ec},"optsdata":"${encodeBase64Std(optsData)}"},` +
    `"keyunwrapparams":{"dc":null,"annotation":null}}`
  )
}

export function encodeKeyUnwrapRequest(parameters: KeyProviderParameters, annotation: Uint8Array): string {
  return (
    `{"op":"keyunwrap","keywrapparams":{"ec":null,"optsdata":null},` +
    `"keyunwrapparams":{"dc":${encodeParameters(parameters)},"annotation":"${encodeBase64Std(annotation)}"}}`
  )
}

export function encodeKeyWrapResponse(annotation: Uint8Array): string {
  return `{"keywrapresults":{"annotation":"${encodeBase64Std(annotation)}"}}`
}

export function encodeKeyUnwrapResponse(optsData: Uint8Array): string {
  return `{"keyunwrapresults":{"optsdata":"${encodeBase64Std(optsData)}"}}`
}

function parseJsonObject(json: string, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch (cause) {
    throw new OcicryptError('PROVIDER_FAILED', `${what} is not JSON`, { cause })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OcicryptError('PROVIDER_FAILED', `${what} is not a JSON object`)
  }
  return value as Record<string, unknown>
}

function field(o: unknown, key: string): unknown {
  return typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>)[key] : undefined
}

/** Go's `[]byte` decoding: base64std string, or (as serde writes `Vec<u8>`) an array of 0..255 numbers. */
function goBytes(value: unknown, what: string): Buffer | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'string') {
    try {
      return decodeBase64Std(value, what)
    } catch (cause) {
      throw new OcicryptError('PROVIDER_FAILED', `${what} is not base64`, { cause })
    }
  }
  if (Array.isArray(value) && value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return Buffer.from(value as number[])
  }
  throw new OcicryptError('PROVIDER_FAILED', `${what} is neither base64 nor a byte array`)
}

/** The wrapped annotation bytes; `undefined` when the provider produced none (ocicrypt: no key from it). */
export function parseKeyWrapResponse(json: string): Buffer | undefined {
  const o = parseJsonObject(json, 'key provider wrap response')
  const annotation = goBytes(field(o['keywrapresults'], 'annotation'), 'keywrapresults.annotation')
  return annotation === undefined || annotation.length === 0 ? undefined : annotation
}

export function parseKeyUnwrapResponse(json: string): Buffer {
  const o = parseJsonObject(json, 'key provider unwrap response')
  const optsData = goBytes(field(o['keyunwrapresults'], 'optsdata'), 'keyunwrapresults.optsdata')
  if (optsData === undefined || optsData.length === 0) {
    throw new OcicryptError('PROVIDER_FAILED', 'key provider unwrap response has no optsdata')
  }
  return optsData
}

export type KeyProviderRequest =
  | { op: 'keywrap'; parameters: Record<string, Buffer[]>; optsData: Buffer }
  | { op: 'keyunwrap'; parameters: Record<string, Buffer[]>; annotation: Buffer }

function parseParameters(config: unknown, what: string): Record<string, Buffer[]> {
  const raw = field(config, 'Parameters')
  if (raw === undefined || raw === null) return {}
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new OcicryptError('PROVIDER_FAILED', `${what} is not a map`)
  const out: Record<string, Buffer[]> = {}
  for (const [k, values] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(values)) throw new OcicryptError('PROVIDER_FAILED', `${what}.${k} is not a list`)
    out[k] = values.map((v, i) => goBytes(v, `${what}.${k}[${i}]`) ?? Buffer.alloc(0))
  }
  return out
}

/** Server side (a key provider receiving ocicrypt's request). */
export function parseKeyProviderRequest(json: string): KeyProviderRequest {
  const o = parseJsonObject(json, 'key provider request')
  if (o['op'] === 'keywrap') {
    const params = o['keywrapparams']
    const optsData = goBytes(field(params, 'optsdata'), 'keywrapparams.optsdata')
    if (optsData === undefined) throw new OcicryptError('PROVIDER_FAILED', 'keywrap request has no optsdata')
    return { op: 'keywrap', parameters: parseParameters(field(params, 'ec'), 'ec.Parameters'), optsData }
  }
  if (o['op'] === 'keyunwrap') {
    const params = o['keyunwrapparams']
    const annotation = goBytes(field(params, 'annotation'), 'keyunwrapparams.annotation')
    if (annotation === undefined) throw new OcicryptError('PROVIDER_FAILED', 'keyunwrap request has no annotation')
    return { op: 'keyunwrap', parameters: parseParameters(field(params, 'dc'), 'dc.Parameters'), annotation }
  }
  throw new OcicryptError('PROVIDER_FAILED', `unknown key provider op ${String(o['op'])}`)
}
