export {}

// OCI references, manifests, layouts (helper G)
export { OciError, type OciErrorCode, type OciErrorDetails } from './reference/oci-error.ts'
export {
  DEFAULT_DOCKER_DOMAIN,
  dockerPolicyScopes,
  formatDockerReference,
  isNameOnly,
  isSha256Digest,
  parseDockerReference,
  registryEndpointHost,
  withDefaultTag,
  withIdentifier,
  type DockerReference,
} from './reference/docker-reference.ts'
export {
  formatImageReference,
  parseDockerImageReference,
  parseImageReference,
  parseOciLayoutReference,
  type DockerImageReference,
  type ImageReference,
  type OciLayoutImageReference,
} from './reference/image-reference.ts'
export * from './manifest/media-types.ts'
export { sha256Digest } from './manifest/digest.ts'
export {
  checkDescriptor,
  parseManifest,
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  type ParsedManifest,
  type Platform,
} from './manifest/manifest.ts'
export { currentPlatform, formatPlatform, parsePlatform, selectPlatform } from './manifest/platform.ts'
export type {
  BlobInfo,
  ImageDestination,
  ImageSource,
  ManifestTarget,
  RawManifest,
} from './manifest/image-transport.ts'
export { verifyingStream } from './manifest/verifying-stream.ts'
export { resolveImage, type ResolvedImage, type ResolveImageOptions } from './manifest/resolve-image.ts'
export { copyImage, type CopyImageOptions } from './manifest/copy-image.ts'
export { LayoutSource, type LayoutSourceOptions } from './layout/layout-source.ts'
export { LayoutDestination } from './layout/layout-destination.ts'
export { REF_NAME_ANNOTATION } from './layout/layout-files.ts'

export { openImageDestination, openImageSource, type OpenImageOptions } from './manifest/open-image.ts'
export { RegistryClient, type RegistryClientOptions } from './registry/registry-client.ts'
export { RegistryDestination, RegistrySource } from './registry/registry-image.ts'
export {
  type RegistryConnectionOptions,
  type RegistryCredentials,
  type RetryOptions,
} from './registry/registry-http.ts'
export {
  createNodeTransport,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type NodeTransportOptions,
} from './registry/http-transport.ts'
// ocicrypt layer encryption, key wrappers, key-provider JSON (helper F)
export * from './ocicrypt/index.ts'
// layer unpack to a rootfs (helper H)
export * from './unpack/index.ts'
// signature policy, sigstore/GPG verification, cosign signing (helper I)
export * from './signature/index.ts'
// pull and encrypt pipelines, progress (helper K)
export * from './pipeline/index.ts'
// ocicrypt key provider: CoCo provider, gRPC server, cmd mode, cmd/gRPC clients (helper J)
export * from './keyprovider/index.ts'
