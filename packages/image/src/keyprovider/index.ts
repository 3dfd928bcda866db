export { KeyProviderError } from './keyprovider-error.ts'
export type { KeyProviderErrorCode } from './keyprovider-error.ts'
export {
  MAX_KEY_PROVIDER_MESSAGE_BYTES,
  decodeKeyProviderMessage,
  encodeKeyProviderMessage,
} from './keyprovider-proto.ts'
export {
  KEY_PROVIDER_SERVICE,
  KEY_PROVIDER_SERVICE_NAME,
  UNWRAP_KEY_PATH,
  WRAP_KEY_PATH,
} from './keyprovider-service.ts'
export { createCocoKeyProvider } from './coco-key-provider.ts'
export type { CocoKeyProviderOptions } from './coco-key-provider.ts'
export { cocoKeyProviderFromSettings } from './coco-key-provider-settings.ts'
export type { CocoKeyProviderSettings } from './coco-key-provider-settings.ts'
export { kbsKekRegistrar } from './kek-registrar.ts'
export type { KbsKekRegistrarOptions, KekRegistrar } from './kek-registrar.ts'
export { kekTable } from './kek-table.ts'
export { startKeyProviderServer } from './keyprovider-server.ts'
export type { KeyProviderServerOptions, RunningKeyProviderServer } from './keyprovider-server.ts'
export { answerKeyProviderRequest, runKeyProviderCommand } from './keyprovider-command.ts'
export type { KeyProviderCommandOptions } from './keyprovider-command.ts'
export { KEY_PROVIDER_CONFIG_ENV, loadKeyProviderConfig, parseKeyProviderConfig } from './keyprovider-config.ts'
export type {
  GrpcTlsConfig,
  KeyProviderConfig,
  KeyProviderEndpoint,
  LoadKeyProviderConfigOptions,
} from './keyprovider-config.ts'
export { commandKeyProviderClient } from './command-client.ts'
export type { CommandKeyProviderOptions } from './command-client.ts'
export { grpcKeyProviderClient } from './grpc-client.ts'
export type { GrpcKeyProviderOptions } from './grpc-client.ts'
export {
  addProviderKey,
  configuredKeyUnwrappers,
  configuredKeyWrappers,
  keyProviderClientFor,
} from './configured-providers.ts'
