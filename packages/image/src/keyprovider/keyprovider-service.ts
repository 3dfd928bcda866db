import type { ServiceDefinition } from '@grpc/grpc-js'
import { decodeKeyProviderMessage, encodeKeyProviderMessage } from './keyprovider-proto.ts'

/** `package keyprovider; service KeyProviderService` of ocicrypt's `utils/keyprovider/keyprovider.proto`. */
export const KEY_PROVIDER_SERVICE_NAME = 'keyprovider.KeyProviderService'
export const WRAP_KEY_PATH = `/${KEY_PROVIDER_SERVICE_NAME}/WrapKey`
export const UNWRAP_KEY_PATH = `/${KEY_PROVIDER_SERVICE_NAME}/UnWrapKey`

/** Requests and responses are the JSON text itself; the protobuf envelope is added/removed here. */
export const serializeJson = (json: string): Buffer => encodeKeyProviderMessage(Buffer.from(json, 'utf8'))
export const deserializeJson = (bytes: Buffer): string => decodeKeyProviderMessage(bytes).toString('utf8')

function unary(path: string, originalName: string) {
  return {
    path,
    originalName,
    requestStream: false,
    responseStream: false,
    requestSerialize: serializeJson,
    requestDeserialize: deserializeJson,
    responseSerialize: serializeJson,
    responseDeserialize: deserializeJson,
  } as const
}

export const KEY_PROVIDER_SERVICE: ServiceDefinition = {
  WrapKey: unary(WRAP_KEY_PATH, 'wrapKey'),
  UnWrapKey: unary(UNWRAP_KEY_PATH, 'unWrapKey'),
}
