import type { sendUnaryData, ServerCredentials, ServerUnaryCall, ServiceError, status } from '@grpc/grpc-js'
import type { KeyProviderClient } from '../ocicrypt/index.ts'
import { KeyProviderError } from './keyprovider-error.ts'
import type { KeyProviderErrorCode } from './keyprovider-error.ts'
import { MAX_KEY_PROVIDER_MESSAGE_BYTES } from './keyprovider-proto.ts'
import { KEY_PROVIDER_SERVICE } from './keyprovider-service.ts'

// `carapace keyprovider serve`: ocicrypt's gRPC key-provider service in front of a provider that
// speaks the §4.3 JSON (the same object cmd mode drives).

export interface KeyProviderServerOptions {
  /** The provider answering WrapKey/UnWrapKey JSON, e.g. `createCocoKeyProvider(…)`. */
  provider: KeyProviderClient
  /** `host:port`; port 0 picks a free one. */
  listen: string
  /** Default: plaintext, as ocicrypt's client uses without `grpc-tls`. */
  credentials?: ServerCredentials
  /** Called once per request after it is answered (logging). */
  onRequest?: (event: { method: 'WrapKey' | 'UnWrapKey'; ok: boolean; error?: Error }) => void
}

export interface RunningKeyProviderServer {
  /** `host:port` actually bound. */
  readonly address: string
  readonly port: number
  close(): Promise<void>
}

type GrpcStatus = typeof status

function statusOf(code: KeyProviderErrorCode, s: GrpcStatus): status {
  const map: Record<KeyProviderErrorCode, status> = {
    BAD_REQUEST: s.INVALID_ARGUMENT,
    BAD_PARAMETERS: s.INVALID_ARGUMENT,
    KEK_UNAVAILABLE: s.FAILED_PRECONDITION,
    KBS_REGISTER_FAILED: s.UNAVAILABLE,
    UNIMPLEMENTED: s.UNIMPLEMENTED,
    UNWRAP_FAILED: s.FAILED_PRECONDITION,
    INVALID_CONFIG: s.FAILED_PRECONDITION,
    PROVIDER_FAILED: s.INTERNAL,
  }
  return map[code]
}

function toServiceError(error: unknown, s: GrpcStatus): Partial<ServiceError> {
  if (error instanceof KeyProviderError) {
    return { code: statusOf(error.code, s), details: `${error.code}: ${error.message}` }
  }
  // Do not leak internals of unexpected failures to the peer.
  return { code: s.INTERNAL, details: 'internal key provider error' }
}

function handler(
  method: 'WrapKey' | 'UnWrapKey',
  run: (json: string) => Promise<string>,
  onRequest: KeyProviderServerOptions['onRequest'],
  s: GrpcStatus,
) {
  return (call: ServerUnaryCall<string, string>, callback: sendUnaryData<string>): void => {
    run(call.request).then(
      (response) => {
        onRequest?.({ method, ok: true })
        callback(null, response)
      },
      (error: unknown) => {
        onRequest?.({ method, ok: false, error: error instanceof Error ? error : new Error(String(error)) })
        callback(toServiceError(error, s), null)
      },
    )
  }
}

export async function startKeyProviderServer(options: KeyProviderServerOptions): Promise<RunningKeyProviderServer> {
  // Loaded here, not at import: grpc-js costs ~13 MiB and 0.2 s that an image pull never needs.
  const { Server, ServerCredentials, status: s } = await import('@grpc/grpc-js')
  const server = new Server({ 'grpc.max_receive_message_length': MAX_KEY_PROVIDER_MESSAGE_BYTES })
  const { provider, onRequest } = options
  server.addService(KEY_PROVIDER_SERVICE, {
    WrapKey: handler('WrapKey', (json) => provider.wrapKey(json), onRequest, s),
    UnWrapKey: handler('UnWrapKey', (json) => provider.unwrapKey(json), onRequest, s),
  })
  const colon = options.listen.lastIndexOf(':')
  const host = options.listen.slice(0, colon)
  if (colon <= 0 || !/^\d+$/.test(options.listen.slice(colon + 1))) {
    throw new KeyProviderError('INVALID_CONFIG', `listen address ${options.listen} is not host:port`)
  }
  return new Promise((resolve, reject) => {
    server.bindAsync(options.listen, options.credentials ?? ServerCredentials.createInsecure(), (error, port) => {
      if (error) {
        reject(
          new KeyProviderError('INVALID_CONFIG', `cannot listen on ${options.listen}: ${error.message}`, {
            cause: error,
          }),
        )
        return
      }
      resolve({
        address: `${host}:${port}`,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.tryShutdown(() => {
              done()
            })
          }),
      })
    })
  })
}
