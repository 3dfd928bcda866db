export { UnpackError, type UnpackErrorCode, type UnpackErrorDetails } from './unpack-error.ts'
export {
  unpackLayers,
  type LayerToUnpack,
  type UnpackOptions,
  type UnpackResult,
  type UnpackedLayer,
} from './unpack-layers.ts'
export type { DevicePolicy, UnpackWarning } from './rootfs-writer.ts'
export { decompressLayer, layerCompression, MAX_ZSTD_WINDOW, type LayerCompression } from './decompress.ts'
