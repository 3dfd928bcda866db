import { readFile } from 'node:fs/promises'
import type { ChannelCredentials, ChannelOptions, ServiceError } from '@grpc/grpc-js'
import type { KeyProviderClient } from '../ocicrypt/index.ts'
import type { GrpcTlsConfig } from './keyprovider-config.ts'
import { KeyProviderError } from './keyprovider-error.ts'
import { MAX_KEY_PROVIDER_MESSAGE_BYTES } from './keyprovider-proto.ts'
import { UNWRAP_KEY_PATH, WRAP_KEY_PATH, deserializeJson, serializeJson } from './keyprovider-service.ts'

export interface GrpcKeyProviderOptions {
  /** `host:port` */
  address: string
  /** Absent: plaintext, as ocicrypt without `grpc-tls`. */
  tls?: GrpcTlsConfig
  /** Per call; default 60 s. */
  timeoutMs?: number
}

// Loaded on the first call: grpc-js is large and most processes never speak gRPC.
let grpc: Promise<typeof import('@grpc/grpc-js')> | undefined
const grpcModule = (): Promise<typeof import('@grpc/grpc-js')> => (grpc ??= import('@grpc/grpc-js'))

async function channel(tls: GrpcTlsConfig | undefined): Promise<{ creds: ChannelCredentials; opts: ChannelOptions }> {
  const { credentials } = await grpcModule()
  const opts: ChannelOptions = { 'grpc.max_receive_message_length': MAX_KEY_PROVIDER_MESSAGE_BYTES }
  if (tls === undefined) return { creds: credentials.createInsecure(), opts }
  const read = async (path: string | undefined): Promise<Buffer | null> => {
    if (path === undefined) return null
    try {
      return await readFile(path)
    } catch (cause) {
      throw new KeyProviderError('INVALID_CONFIG', `cannot read grpc-tls file ${path}`, { cause })
    }
  }
  const [ca, key, cert] = await Promise.all([read(tls.rootCaFile), read(tls.keyFile), read(tls.certFile)])
  if (tls.serverName !== undefined) {
    opts['grpc.ssl_target_name_override'] = tls.serverName
    opts['grpc.default_authority'] = tls.serverName
  }
  return { creds: credentials.createSsl(ca, key, cert), opts }
}

/** ocicrypt's gRPC transport: one unary call, on a fresh connection, per layer and operation. */
export function grpcKeyProviderClient(options: GrpcKeyProviderOptions): KeyProviderClient {
  const call = async (path: string, request: string): Promise<string> => {
    const { creds, opts } = await channel(options.tls)
    const { Client } = await grpcModule()
    const client = new Client(options.address, creds, opts)
    try {
      return await new Promise<string>((resolve, reject) => {
        client.makeUnaryRequest(
          path,
          serializeJson,
          deserializeJson,
          request,
          { deadline: Date.now() + (options.timeoutMs ?? 60_000) },
          (error: ServiceError | null, response?: string) => {
            if (error) {
              reject(
                new KeyProviderError(
                  'PROVIDER_FAILED',
                  `key provider ${options.address} ${path.slice(path.lastIndexOf('/') + 1)}: ${error.details || error.message}`,
                  { cause: error },
                ),
              )
            } else resolve(response ?? '')
          },
        )
      })
    } finally {
      client.close()
    }
  }
  return {
    wrapKey: (request) => call(WRAP_KEY_PATH, request),
    unwrapKey: (request) => call(UNWRAP_KEY_PATH, request),
  }
}
