import { randomBytes as nodeRandomBytes, randomUUID as nodeRandomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import {
  COCO_PROVIDER_NAME,
  KEK_BYTES,
  OcicryptError,
  encodeAnnotationPacket,
  encodeKeyUnwrapResponse,
  encodeKeyWrapResponse,
  openWithKek,
  parseAnnotationPacket,
  parseCocoProviderParameters,
  parseKbsKeyId,
  parseKeyProviderRequest,
  sealWithKek,
} from '../ocicrypt/index.ts'
import type { CocoProviderParameters, KeyProviderClient, KeyProviderRequest } from '../ocicrypt/index.ts'
import type { KekRegistrar } from './kek-registrar.ts'
import { KeyProviderError } from './keyprovider-error.ts'

// The CoCo `attestation-agent` key provider (coco_keyprovider's role, spec §4.5) answering ocicrypt's
// §4.3 JSON: a KEK per request, the privopts sealed under it in an AnnotationPacket, and the KEK
// stored in the KBS before the packet is returned. Upstream ignores a failed store; we refuse to hand
// out a wrapped key nobody will ever be able to unwrap.

/** coco_keyprovider's well-known test KEK (`sample=true`): never protects anything real. */
const SAMPLE_KEK = Buffer.from('d99b7705b0ba7a168295b3a3367270b0dd9b371bf514ca8b9ba7f0a33711daea', 'hex')
const SAMPLE_KID = 'kbs:///default/test-key/1'
const GCM_IV_BYTES = 12

export interface CocoKeyProviderOptions {
  /** The `Parameters` key read; default `attestation-agent`. */
  providerName?: string
  /** Where each new KEK is stored (the KBS admin API); without it only `keypath` KEKs can be used. */
  registrar?: KekRegistrar
  /**
   * KEK lookup for UnWrapKey (a local key table, tests). Absent: UnWrapKey answers UNIMPLEMENTED,
   * as coco_keyprovider does — in a guest the CDH unwraps after attestation.
   */
  resolveKek?: (kid: string) => Promise<Uint8Array | undefined>
  /**
   * Honour `sample=true` (coco_keyprovider's public test KEK with a zero iv: anyone can unwrap, and
   * every layer reuses the GCM nonce). Off by default; a refused request says why.
   */
  allowSample?: boolean
  /**
   * Honour `keypath=` (the provider reads a file the caller names, and registers its bytes in the
   * KBS). Default true, as coco_keyprovider; a network-facing server that does not trust its callers
   * should turn it off.
   */
  allowKeyPath?: boolean
  /** Reads a `keypath=` file (default: fs). */
  readKeyFile?: (path: string) => Promise<Uint8Array>
  randomBytes?: (size: number) => Uint8Array
  /** Names a KEK when the request has no `keyid` (`kbs:///default/image-kek/<uuid>`). */
  randomUUID?: () => string
}

function fromOcicrypt(cause: unknown, code: 'BAD_REQUEST' | 'BAD_PARAMETERS' | 'UNWRAP_FAILED'): never {
  if (cause instanceof OcicryptError) throw new KeyProviderError(code, cause.message, { cause })
  throw cause
}

function parseRequest(json: string, op: KeyProviderRequest['op']): KeyProviderRequest {
  let request: KeyProviderRequest
  try {
    request = parseKeyProviderRequest(json)
  } catch (cause) {
    fromOcicrypt(cause, 'BAD_REQUEST')
  }
  if (request.op !== op) throw new KeyProviderError('BAD_REQUEST', `expected op ${op}, got ${request.op}`)
  return request
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

function providerParameters(request: KeyProviderRequest, name: string): CocoProviderParameters {
  const values = request.parameters[name]
  if (values === undefined || values.length === 0) {
    throw new KeyProviderError('BAD_PARAMETERS', `the request has no Parameters[${JSON.stringify(name)}]`)
  }
  if (values.length > 1) {
    throw new KeyProviderError(
      'BAD_PARAMETERS',
      `Parameters[${JSON.stringify(name)}] has ${values.length} entries; give one provider:${name}:… per command`,
    )
  }
  let text: string
  try {
    text = UTF8.decode(values[0])
  } catch (cause) {
    throw new KeyProviderError('BAD_PARAMETERS', `Parameters[${JSON.stringify(name)}] is not UTF-8`, { cause })
  }
  try {
    return parseCocoProviderParameters(text)
  } catch (cause) {
    fromOcicrypt(cause, 'BAD_PARAMETERS')
  }
}

function resourcePathOf(kid: string): string {
  try {
    const { resource } = parseKbsKeyId(kid)
    return `${resource.repository}/${resource.type}/${resource.tag}`
  } catch (cause) {
    throw new KeyProviderError('BAD_PARAMETERS', `keyid ${JSON.stringify(kid)} is not a KBS resource URI`, { cause })
  }
}

export function createCocoKeyProvider(options: CocoKeyProviderOptions = {}): KeyProviderClient {
  const name = options.providerName ?? COCO_PROVIDER_NAME
  const random = options.randomBytes ?? nodeRandomBytes
  const uuid = options.randomUUID ?? nodeRandomUUID
  const readKeyFile = options.readKeyFile ?? readFile

  async function loadKek(path: string): Promise<Uint8Array> {
    let kek: Uint8Array
    try {
      kek = await readKeyFile(path)
    } catch (cause) {
      throw new KeyProviderError('KEK_UNAVAILABLE', `cannot read keypath ${path}`, { cause })
    }
    if (kek.length !== KEK_BYTES) {
      throw new KeyProviderError('KEK_UNAVAILABLE', `keypath ${path} holds ${kek.length} bytes, a KEK is ${KEK_BYTES}`)
    }
    return kek
  }

  async function wrapKey(json: string): Promise<string> {
    const request = parseRequest(json, 'keywrap')
    if (request.op !== 'keywrap') throw new KeyProviderError('BAD_REQUEST', 'not a keywrap request')
    const params = providerParameters(request, name)
    if (params.algorithm !== 'A256GCM') {
      throw new KeyProviderError('BAD_PARAMETERS', `algorithm ${params.algorithm} is not offered; use A256GCM`)
    }
    if (params.sample) {
      if (options.allowSample !== true) {
        throw new KeyProviderError(
          'BAD_PARAMETERS',
          'sample=true wraps under a public test KEK; this provider does not allow it',
        )
      }
      const iv = Buffer.alloc(GCM_IV_BYTES)
      return encodeKeyWrapResponse(encodeAnnotationPacket(sealWithKek(SAMPLE_KID, SAMPLE_KEK, iv, request.optsData)))
    }
    if (params.keypath !== undefined && options.allowKeyPath === false) {
      throw new KeyProviderError(
        'BAD_PARAMETERS',
        'keypath= is not allowed by this provider; it makes and registers the KEK',
      )
    }
    if (params.keypath === undefined && options.registrar === undefined) {
      throw new KeyProviderError(
        'BAD_PARAMETERS',
        'a fresh KEK needs a KBS to be registered in (configure one) or a keypath= with a KEK you keep',
      )
    }
    const kid = params.keyid ?? `kbs:///default/image-kek/${uuid()}`
    const path = resourcePathOf(kid)
    const kek = params.keypath === undefined ? random(KEK_BYTES) : await loadKek(params.keypath)
    if (kek.length !== KEK_BYTES) throw new KeyProviderError('KEK_UNAVAILABLE', 'the random source gave a short KEK')
    const packet = sealWithKek(kid, kek, random(GCM_IV_BYTES), request.optsData)
    if (options.registrar !== undefined) await options.registrar.register(path, kek)
    return encodeKeyWrapResponse(encodeAnnotationPacket(packet))
  }

  async function unwrapKey(json: string): Promise<string> {
    const request = parseRequest(json, 'keyunwrap')
    if (request.op !== 'keyunwrap') throw new KeyProviderError('BAD_REQUEST', 'not a keyunwrap request')
    if (options.resolveKek === undefined) {
      throw new KeyProviderError(
        'UNIMPLEMENTED',
        'UnWrapKey is not offered by this key provider (the guest CDH unwraps)',
      )
    }
    let packet
    try {
      packet = parseAnnotationPacket(request.annotation)
    } catch (cause) {
      fromOcicrypt(cause, 'UNWRAP_FAILED')
    }
    let kek: Uint8Array | undefined
    try {
      kek = await options.resolveKek(packet.kid)
    } catch (cause) {
      throw new KeyProviderError('UNWRAP_FAILED', `cannot get the KEK ${packet.kid}`, { cause })
    }
    if (kek === undefined) throw new KeyProviderError('UNWRAP_FAILED', `no KEK known for ${packet.kid}`)
    let optsData: Buffer | undefined
    try {
      optsData = openWithKek(packet, kek)
    } catch (cause) {
      fromOcicrypt(cause, 'UNWRAP_FAILED')
    }
    if (optsData === undefined)
      throw new KeyProviderError('UNWRAP_FAILED', `the KEK for ${packet.kid} does not open the packet`)
    return encodeKeyUnwrapResponse(optsData)
  }

  return { wrapKey, unwrapKey }
}
