import { OcicryptError } from './ocicrypt-error.ts'

const ENCRYPTED_SUFFIX = 'encrypted'

/** Base media types that containers/image agrees to encrypt (before the first `+`). */
const ENCRYPTABLE_BASES = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.oci.image.layer.nondistributable.v1.tar',
  'application/vnd.docker.image.rootfs.diff.tar',
  'application/vnd.wasm.content.layer.v1',
])

/** True when the layer media type says the blob is ocicrypt-encrypted (`…+encrypted`). */
export function isEncryptedMediaType(mediaType: string): boolean {
  return mediaType.endsWith(`+${ENCRYPTED_SUFFIX}`)
}

/** `application/vnd.oci.image.layer.v1.tar+gzip` → `…+gzip+encrypted` (containers/image rules). */
export function encryptedMediaType(mediaType: string): string {
  const parts = mediaType.split('+')
  const base = parts[0] ?? ''
  if (parts.slice(1).includes(ENCRYPTED_SUFFIX)) {
    throw new OcicryptError('UNSUPPORTED_MEDIA_TYPE', `layer is already encrypted: ${mediaType}`)
  }
  if (!ENCRYPTABLE_BASES.has(base)) {
    throw new OcicryptError('UNSUPPORTED_MEDIA_TYPE', `cannot encrypt a layer of media type ${mediaType}`)
  }
  return `${mediaType}+${ENCRYPTED_SUFFIX}`
}

/** `…+gzip+encrypted` → `…+gzip`; error when the type is not encrypted. */
export function decryptedMediaType(mediaType: string): string {
  if (!isEncryptedMediaType(mediaType)) {
    throw new OcicryptError('UNSUPPORTED_MEDIA_TYPE', `layer media type is not encrypted: ${mediaType}`)
  }
  return mediaType.slice(0, -(ENCRYPTED_SUFFIX.length + 1))
}
