import type { KeyUnwrapper, KeyWrapper } from './key-wrapper.ts'
import {
  encodeKeyUnwrapRequest,
  encodeKeyWrapRequest,
  parseKeyUnwrapResponse,
  parseKeyWrapResponse,
} from './key-provider-protocol.ts'
import type { KeyProviderParameters } from './key-provider-protocol.ts'
import { OcicryptError } from './ocicrypt-error.ts'

/**
 * Transport to one ocicrypt key provider (cmd: stdin→stdout of one process; gRPC: the bytes field of
 * `keyprovider.KeyProviderService/WrapKey|UnWrapKey`). Both take and return the §4.3 JSON text.
 */
export interface KeyProviderClient {
  wrapKey(request: string): Promise<string>
  unwrapKey(request: string): Promise<string>
}

export interface KeyProviderWrapperOptions {
  /** Provider name from the ocicrypt key-provider config; annotation `…keys.provider.<name>`. */
  name: string
  client: KeyProviderClient
  /**
   * The whole `EncryptConfig.Parameters` / `DecryptConfig.Parameters` as ocicrypt forwards them
   * (e.g. `{"attestation-agent": [bytes("keyid=…::algorithm=A256GCM")]}`).
   */
  parameters: KeyProviderParameters
}

async function call(name: string, op: string, run: () => Promise<string>): Promise<string> {
  try {
    return await run()
  } catch (cause) {
    if (cause instanceof OcicryptError) throw cause
    const detail = cause instanceof Error ? cause.message : String(cause)
    throw new OcicryptError('PROVIDER_FAILED', `key provider ${name} ${op} failed: ${detail}`, { cause })
  }
}

/** As ocicrypt: the provider is only asked when `parameters` names it. */
export function keyProviderWrapper(options: KeyProviderWrapperOptions): KeyWrapper {
  const { name, client, parameters } = options
  return {
    scheme: `provider.${name}`,
    async wrapKey(optsData: Uint8Array): Promise<Uint8Array | undefined> {
      if (parameters[name] === undefined) return undefined
      const response = await call(name, 'WrapKey', () => client.wrapKey(encodeKeyWrapRequest(parameters, optsData)))
      return parseKeyWrapResponse(response)
    },
  }
}

/** Provider errors are thrown (the protocol has no "not mine"); the layer code keeps trying other entries. */
export function keyProviderUnwrapper(options: KeyProviderWrapperOptions): KeyUnwrapper {
  const { name, client, parameters } = options
  return {
    scheme: `provider.${name}`,
    async unwrapKey(entry: Uint8Array): Promise<Uint8Array> {
      const response = await call(name, 'UnWrapKey', () => client.unwrapKey(encodeKeyUnwrapRequest(parameters, entry)))
      return parseKeyUnwrapResponse(response)
    },
  }
}
