export { OcicryptError } from './ocicrypt-error.ts'
export type { OcicryptErrorCode } from './ocicrypt-error.ts'
export { decryptedMediaType, encryptedMediaType, isEncryptedMediaType } from './media-types.ts'
export {
  ENCRYPTION_ANNOTATION_PREFIX,
  KEYS_ANNOTATION_PREFIX,
  PUBOPTS_ANNOTATION,
  keysAnnotation,
  withoutEncryptionAnnotations,
  wrappedKeyAnnotations,
} from './annotations.ts'
export {
  LAYER_CIPHER,
  encodePrivateOptions,
  encodePublicOptions,
  parsePrivateOptions,
  parsePublicOptions,
} from './layer-options.ts'
export type { PrivateLayerOptions, PublicLayerOptions } from './layer-options.ts'
export { DEFAULT_HOLD_BACK_BYTES, LayerDecryptStream, LayerEncryptStream } from './layer-cipher.ts'
export type { LayerCipherKey, LayerDecryptOptions, LayerEncryptResult } from './layer-cipher.ts'
export type { KeyUnwrapper, KeyWrapper } from './key-wrapper.ts'
export { JWE_KEY_ALGORITHMS, parsePrivateKey, parsePublicKey } from './key-material.ts'
export type { JweKeyAlgorithm, ParsedKey } from './key-material.ts'
export { jweKeyUnwrapper, jweKeyWrapper } from './jwe-key-wrapper.ts'
export {
  KEK_BYTES,
  encodeAnnotationPacket,
  openWithKek,
  parseAnnotationPacket,
  sealWithKek,
} from './annotation-packet.ts'
export type { AnnotationPacket, PacketWrapType } from './annotation-packet.ts'
export { COCO_PROVIDER_NAME, cocoKeyUnwrapper, cocoKeyWrapper } from './coco-key-wrapper.ts'
export type { CocoKeyUnwrapperOptions, CocoKeyWrapperOptions } from './coco-key-wrapper.ts'
export {
  encodeKeyUnwrapRequest,
  encodeKeyUnwrapResponse,
  encodeKeyWrapRequest,
  encodeKeyWrapResponse,
  parseKeyProviderRequest,
  parseKeyUnwrapResponse,
  parseKeyWrapResponse,
} from './key-provider-protocol.ts'
export type { KeyProviderParameters, KeyProviderRequest } from './key-provider-protocol.ts'
export { keyProviderUnwrapper, keyProviderWrapper } from './provider-key-wrapper.ts'
export type { KeyProviderClient, KeyProviderWrapperOptions } from './provider-key-wrapper.ts'
export type { LayerDescriptor } from './layer-descriptor.ts'
export { encryptLayer } from './layer-encrypt.ts'
export type { EncryptLayerOptions, EncryptedLayer } from './layer-encrypt.ts'
export { decryptLayer } from './layer-decrypt.ts'
export type { DecryptedLayer } from './layer-decrypt.ts'
export { parseKbsKeyId } from './kbs-key-id.ts'
export type { KbsKeyId } from './kbs-key-id.ts'
export { parseCocoProviderParameters } from './coco-provider-parameters.ts'
export type { CocoProviderParameters } from './coco-provider-parameters.ts'
