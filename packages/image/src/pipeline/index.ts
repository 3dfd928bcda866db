export { PipelineError, type PipelineErrorCode } from './pipeline-error.ts'
export {
  countingStream,
  formatBytes,
  silentProgress,
  terminalProgress,
  type Progress,
  type ProgressTask,
  type ProgressTerminal,
} from './progress.ts'
export { CONFIG_SIZE_LIMIT, readImageConfig, type ImageConfig } from './image-config.ts'
export { cdhKeyUnwrapper, cdhResourceFetcher, type CdhResourceOptions } from './cdh-resources.ts'
export { kbsRecipient, type KbsRecipientOptions, type KekStore, type RandomBytes } from './kbs-recipient.ts'
export {
  encryptImage,
  type EncryptedImage,
  type EncryptedLayerInfo,
  type EncryptImageOptions,
} from './encrypt-image.ts'
export { pullImage, type PulledLayer, type PullImageOptions, type PullResult } from './pull-image.ts'
export {
  decryptImage,
  type DecryptedImage,
  type DecryptedLayerInfo,
  type DecryptImageOptions,
} from './decrypt-image.ts'
