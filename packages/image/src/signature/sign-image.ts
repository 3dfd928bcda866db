import { sign, type KeyObject } from 'node:crypto'
import { Readable } from 'node:stream'
import { sha256Digest } from '../manifest/digest.ts'
import type { ImageDestination, ImageSource, RawManifest } from '../manifest/image-transport.ts'
import { parseManifest, type Descriptor } from '../manifest/manifest.ts'
import { OCI_CONFIG, OCI_MANIFEST } from '../manifest/media-types.ts'
import { OciError } from '../reference/oci-error.ts'
import { SignatureError } from './signature-error.ts'
import { serializeSignaturePayload, SIGSTORE_PAYLOAD_TYPE } from './signature-payload.ts'
import {
  COSIGN_SIGNATURE_ANNOTATION,
  COSIGN_SIMPLESIGNING_MEDIA_TYPE,
  sigstoreAttachmentTag,
} from './sigstore-attachments.ts'

export interface SignImageOptions {
  /** Reads the image manifest and any existing `.sig` attachment manifest. */
  readonly source: ImageSource
  /** The same repository or layout: receives the payload/config blobs and the `.sig` manifest. */
  readonly destination: ImageDestination
  /** The `docker-reference` to sign: `host/repo:tag` (containers/image) or `host/repo` (cosign). */
  readonly identity: string
  /** ECDSA, Ed25519 or RSA private key (see readSigningKey). */
  readonly privateKey: KeyObject
  /** The manifest to sign (default: the one the source's reference names). */
  readonly manifest?: RawManifest
  /** `optional.creator`; with `now`, `optional.timestamp`. Neither → `"optional": null` as cosign writes. */
  readonly creator?: string
  readonly now?: () => Date
}

export interface SignImageResult {
  readonly manifestDigest: string
  readonly signatureTag: string
  readonly signatureManifestDigest: string
  readonly payload: Buffer
  /** base64 of the signature, as stored in the annotation. */
  readonly signature: string
}

/** Signs as sigstore's signers do: ECDSA/RSA over SHA-256 (DER / PKCS#1 v1.5), Ed25519 pure. */
function signPayload(key: KeyObject, payload: Buffer): Buffer {
  const type = key.asymmetricKeyType
  if (type === 'ed25519') return sign(null, payload, key)
  if (type === 'ec' || type === 'rsa') return sign('sha256', payload, key)
  throw new SignatureError('INVALID_KEY', `signing key: unsupported key type ${String(type)}`)
}

async function existingLayers(source: ImageSource, tag: string): Promise<Descriptor[]> {
  let raw: RawManifest
  try {
    raw = await source.getManifest(tag)
  } catch (e) {
    if (e instanceof OciError && e.code === 'NOT_FOUND') return []
    throw e
  }
  const parsed = parseManifest(raw.bytes, raw.mediaType)
  if (raw.mediaType !== OCI_MANIFEST || parsed.kind !== 'manifest') {
    throw new SignatureError('SIGNATURE_SOURCE', `existing ${tag} is not an OCI image manifest (${raw.mediaType})`)
  }
  return [...parsed.manifest.layers]
}

function sameLayer(a: Descriptor, b: Descriptor): boolean {
  return (
    a.digest === b.digest &&
    a.mediaType === b.mediaType &&
    JSON.stringify(a.annotations ?? {}) === JSON.stringify(b.annotations ?? {})
  )
}

function descriptorJson(d: Descriptor): Descriptor {
  return {
    mediaType: d.mediaType,
    digest: d.digest,
    size: d.size,
    ...(d.annotations === undefined ? {} : { annotations: d.annotations }),
  }
}

/**
 * Signs an image the cosign way (§5.5): a sigstore payload naming `identity` and the manifest
 * digest, signed with the private key, stored as one layer (annotation
 * `dev.cosignproject.cosign/signature`) of the `sha256-<hex>.sig` manifest next to the image; an
 * existing `.sig` manifest keeps its layers and gains this one (an identical layer is not added twice).
 */
export async function signImage(options: SignImageOptions): Promise<SignImageResult> {
  const manifest = options.manifest ?? (await options.source.getManifest())
  const manifestDigest = sha256Digest(manifest.bytes)
  const payload = serializeSignaturePayload({
    type: SIGSTORE_PAYLOAD_TYPE,
    dockerReference: options.identity,
    manifestDigest,
    ...(options.creator === undefined ? {} : { creator: options.creator }),
    ...(options.now === undefined ? {} : { timestamp: Math.floor(options.now().getTime() / 1000) }),
  })
  const signature = signPayload(options.privateKey, payload).toString('base64')
  const signatureTag = sigstoreAttachmentTag(manifestDigest)
  const layers = await existingLayers(options.source, signatureTag)
  const layer: Descriptor = {
    mediaType: COSIGN_SIMPLESIGNING_MEDIA_TYPE,
    digest: sha256Digest(payload),
    size: payload.length,
    annotations: { [COSIGN_SIGNATURE_ANNOTATION]: signature },
  }
  if (!layers.some((l) => sameLayer(l, layer))) {
    await options.destination.putBlob(Readable.from([payload]), { digest: layer.digest, size: layer.size })
    layers.push(layer)
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      os: '',
      config: {},
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
    }),
  )
  const configDescriptor: Descriptor = { mediaType: OCI_CONFIG, digest: sha256Digest(config), size: config.length }
  await options.destination.putBlob(Readable.from([config]), {
    digest: configDescriptor.digest,
    size: configDescriptor.size,
  })
  const sigManifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: configDescriptor,
      layers: layers.map(descriptorJson),
    }),
  )
  const signatureManifestDigest = await options.destination.putManifest(
    { bytes: sigManifest, mediaType: OCI_MANIFEST },
    { tag: signatureTag },
  )
  return { manifestDigest, signatureTag, signatureManifestDigest, payload, signature }
}
