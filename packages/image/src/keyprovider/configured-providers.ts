import { keyProviderUnwrapper, keyProviderWrapper } from '../ocicrypt/index.ts'
import type { KeyProviderClient, KeyProviderParameters, KeyUnwrapper, KeyWrapper } from '../ocicrypt/index.ts'
import { commandKeyProviderClient } from './command-client.ts'
import { grpcKeyProviderClient } from './grpc-client.ts'
import type { KeyProviderConfig, KeyProviderEndpoint } from './keyprovider-config.ts'
import { KeyProviderError } from './keyprovider-error.ts'

export function keyProviderClientFor(endpoint: KeyProviderEndpoint): KeyProviderClient {
  if (endpoint.kind === 'cmd') return commandKeyProviderClient({ path: endpoint.path, args: endpoint.args })
  return grpcKeyProviderClient(
    endpoint.tls === undefined ? { address: endpoint.address } : { address: endpoint.address, tls: endpoint.tls },
  )
}

/**
 * One wrapper per configured provider, each asked only when `parameters` names it (ocicrypt: a
 * `provider:<name>` absent from the config simply produces no key).
 */
export function configuredKeyWrappers(config: KeyProviderConfig, parameters: KeyProviderParameters): KeyWrapper[] {
  return [...config].map(([name, endpoint]) =>
    keyProviderWrapper({ name, client: keyProviderClientFor(endpoint), parameters }),
  )
}

/** Every configured provider is offered its annotation, whatever `parameters` holds (as ocicrypt). */
export function configuredKeyUnwrappers(config: KeyProviderConfig, parameters: KeyProviderParameters): KeyUnwrapper[] {
  return [...config].map(([name, endpoint]) =>
    keyProviderUnwrapper({ name, client: keyProviderClientFor(endpoint), parameters }),
  )
}

/**
 * `provider:<name>[:<rest>]` (a `--recipient`/`--decryption-key` value) into ocicrypt's parameters:
 * `<rest>` after the FIRST colon following the name, `Enabled` when absent (spec §4.2).
 */
export function addProviderKey(parameters: Record<string, Uint8Array[]>, spec: string): void {
  if (!spec.startsWith('provider:')) {
    throw new KeyProviderError('BAD_PARAMETERS', `${JSON.stringify(spec)} is not provider:<name>[:<parameters>]`)
  }
  const rest = spec.slice('provider:'.length)
  const colon = rest.indexOf(':')
  const name = colon < 0 ? rest : rest.slice(0, colon)
  if (name === '') throw new KeyProviderError('BAD_PARAMETERS', `${JSON.stringify(spec)} names no provider`)
  const value = colon < 0 ? 'Enabled' : rest.slice(colon + 1)
  ;(parameters[name] ??= []).push(Buffer.from(value, 'utf8'))
}
