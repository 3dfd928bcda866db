import type { Readable } from 'node:stream'
import { sha256Digest } from '../manifest/digest.ts'
import type { ImageSource } from '../manifest/image-transport.ts'
import { parseManifest } from '../manifest/manifest.ts'
import { OCI_MANIFEST } from '../manifest/media-types.ts'
import { OciError } from '../reference/oci-error.ts'
import { SignatureError } from './signature-error.ts'

/** Media type of a cosign simple-signing payload layer. */
export const COSIGN_SIMPLESIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json'
/** Layer annotation holding base64std(signature over the payload blob). */
export const COSIGN_SIGNATURE_ANNOTATION = 'dev.cosignproject.cosign/signature'
/** containers/image refuses signature blobs larger than this. */
export const SIGNATURE_SIZE_LIMIT = 4 * 1024 * 1024

/** One cosign-convention signature read from a `.sig` attachment manifest. */
export interface SigstoreSignature {
  readonly mimeType: string
  /** The payload blob bytes, exactly as stored (the signature covers these bytes). */
  readonly payload: Buffer
  readonly annotations: Readonly<Record<string, string>>
}

/** `sha256:<hex>` → `sha256-<hex>.sig`, the tag cosign and containers/image use in the same repository. */
export function sigstoreAttachmentTag(manifestDigest: string): string {
  return `${manifestDigest.replace(':', '-')}.sig`
}

export async function readAll(stream: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length
    if (total > limit) {
      stream.destroy()
      throw new SignatureError('SIGNATURE_SOURCE', `${what} is larger than ${limit} bytes`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/**
 * Reads the sigstore attachments of a manifest: the `sha256-<hex>.sig` manifest in the same
 * repository or layout (none → no signatures), which must be an OCI image manifest; each layer
 * (at most 4 MiB, digest-verified) is one candidate signature.
 */
export async function readSigstoreAttachments(
  source: ImageSource,
  manifestDigest: string,
): Promise<SigstoreSignature[]> {
  const tag = sigstoreAttachmentTag(manifestDigest)
  let raw
  try {
    raw = await source.getManifest(tag)
  } catch (e) {
    if (e instanceof OciError && e.code === 'NOT_FOUND') return []
    throw new SignatureError(
      'SIGNATURE_SOURCE',
      `reading signature attachments ${tag} of ${source.name}: ${(e as Error).message}`,
      {
        cause: e,
      },
    )
  }
  if (raw.mediaType !== OCI_MANIFEST) {
    throw new SignatureError(
      'SIGNATURE_SOURCE',
      `unexpected MIME type for sigstore attachment manifest ${tag}: ${JSON.stringify(raw.mediaType)}`,
    )
  }
  let parsed
  try {
    parsed = parseManifest(raw.bytes, raw.mediaType)
  } catch (e) {
    throw new SignatureError('SIGNATURE_SOURCE', `sigstore attachment ${tag}: ${(e as Error).message}`, { cause: e })
  }
  if (parsed.kind !== 'manifest')
    throw new SignatureError('SIGNATURE_SOURCE', `sigstore attachment ${tag} is not an image manifest`)
  const signatures: SigstoreSignature[] = []
  for (const layer of parsed.manifest.layers) {
    if (layer.size > SIGNATURE_SIZE_LIMIT) {
      throw new SignatureError(
        'SIGNATURE_SOURCE',
        `signature layer ${layer.digest} in ${tag} is ${layer.size} bytes, over ${SIGNATURE_SIZE_LIMIT}`,
      )
    }
    const stream = await source.getBlob({ digest: layer.digest, size: layer.size })
    const payload = await readAll(stream, SIGNATURE_SIZE_LIMIT, `signature layer ${layer.digest}`)
    if (sha256Digest(payload) !== layer.digest) {
      throw new SignatureError('SIGNATURE_SOURCE', `signature layer ${layer.digest} in ${tag}: content digest mismatch`)
    }
    signatures.push({ mimeType: layer.mediaType, payload, annotations: layer.annotations ?? {} })
  }
  return signatures
}
