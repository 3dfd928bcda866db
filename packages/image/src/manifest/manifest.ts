import { isSha256Digest } from '../reference/docker-reference.ts'
import { OciError } from '../reference/oci-error.ts'
import {
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  DOCKER_SCHEMA1,
  DOCKER_SCHEMA1_SIGNED,
  IMAGE_MANIFEST_TYPES,
  INDEX_TYPES,
  OCI_INDEX,
  OCI_MANIFEST,
} from './media-types.ts'

export interface Platform {
  readonly architecture: string
  readonly os: string
  readonly variant?: string
  readonly 'os.version'?: string
  readonly 'os.features'?: readonly string[]
}

/** An OCI content descriptor (also the Docker schema2 shape). */
export interface Descriptor {
  readonly mediaType: string
  readonly digest: string
  readonly size: number
  readonly annotations?: Readonly<Record<string, string>>
  readonly urls?: readonly string[]
  readonly platform?: Platform
  readonly artifactType?: string
}

/** An OCI image manifest or Docker v2 schema2 manifest. Unknown members are kept as parsed. */
export interface ImageManifest {
  readonly schemaVersion: 2
  readonly mediaType: string
  readonly config: Descriptor
  readonly layers: readonly Descriptor[]
  readonly annotations?: Readonly<Record<string, string>>
  readonly subject?: Descriptor
  readonly artifactType?: string
}

/** An OCI image index or Docker manifest list. */
export interface ImageIndex {
  readonly schemaVersion: 2
  readonly mediaType: string
  readonly manifests: readonly Descriptor[]
  readonly annotations?: Readonly<Record<string, string>>
}

export type ParsedManifest =
  | { readonly kind: 'manifest'; readonly manifest: ImageManifest }
  | { readonly kind: 'index'; readonly index: ImageIndex }

function malformed(why: string): OciError {
  return new OciError('MALFORMED_MANIFEST', `malformed manifest: ${why}`)
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function checkStringMap(v: unknown, where: string): void {
  if (v === undefined) return
  if (!isRecord(v) || Object.values(v).some((x) => typeof x !== 'string'))
    throw malformed(`${where} must map strings to strings`)
}

/** Validates one descriptor (digest must be sha256; size a non-negative integer). */
export function checkDescriptor(v: unknown, where: string): Descriptor {
  if (!isRecord(v)) throw malformed(`${where} is not an object`)
  if (typeof v.mediaType !== 'string' || v.mediaType === '') throw malformed(`${where}.mediaType is missing`)
  if (typeof v.digest !== 'string' || !isSha256Digest(v.digest)) {
    throw malformed(`${where}.digest ${JSON.stringify(v.digest)} is not sha256:<64 hex>`)
  }
  if (typeof v.size !== 'number' || !Number.isSafeInteger(v.size) || v.size < 0) {
    throw malformed(`${where}.size is not a non-negative integer`)
  }
  checkStringMap(v.annotations, `${where}.annotations`)
  if (v.urls !== undefined && (!Array.isArray(v.urls) || v.urls.some((u) => typeof u !== 'string'))) {
    throw malformed(`${where}.urls must be an array of strings`)
  }
  if (v.platform !== undefined) {
    const p = v.platform
    if (!isRecord(p) || typeof p.architecture !== 'string' || typeof p.os !== 'string') {
      throw malformed(`${where}.platform needs architecture and os strings`)
    }
    if (p.variant !== undefined && typeof p.variant !== 'string')
      throw malformed(`${where}.platform.variant must be a string`)
  }
  return v as unknown as Descriptor
}

function guessMediaType(doc: Record<string, unknown>): string | undefined {
  if (typeof doc.mediaType === 'string') return doc.mediaType
  if (doc.schemaVersion === 1) return DOCKER_SCHEMA1
  if (doc.manifests !== undefined) return OCI_INDEX
  if (doc.config !== undefined || doc.layers !== undefined) return OCI_MANIFEST
  return undefined
}

/**
 * Parses and validates a manifest or index. `declaredType` is the Content-Type the registry sent or
 * the descriptor's media type; it must agree with the body's `mediaType` when both are manifest types.
 * Docker schema 1 and unknown types → UNSUPPORTED_MEDIA_TYPE.
 */
export function parseManifest(bytes: Uint8Array, declaredType?: string): ParsedManifest {
  let doc: unknown
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch (e) {
    throw new OciError('MALFORMED_MANIFEST', `malformed manifest: not JSON (${(e as Error).message})`)
  }
  if (!isRecord(doc)) throw malformed('not a JSON object')
  const known = [...IMAGE_MANIFEST_TYPES, ...INDEX_TYPES, DOCKER_SCHEMA1, DOCKER_SCHEMA1_SIGNED]
  const declared = declaredType === undefined ? undefined : declaredType.split(';')[0]?.trim()
  const bodyType = guessMediaType(doc)
  if (
    typeof doc.mediaType === 'string' &&
    declared !== undefined &&
    known.includes(declared) &&
    declared !== doc.mediaType
  ) {
    throw malformed(`media type ${JSON.stringify(declared)} does not match the body's ${JSON.stringify(doc.mediaType)}`)
  }
  const mediaType = bodyType ?? (declared !== undefined && known.includes(declared) ? declared : undefined)
  if (mediaType === undefined) throw new OciError('UNSUPPORTED_MEDIA_TYPE', 'manifest has no recognisable media type')
  if (!IMAGE_MANIFEST_TYPES.includes(mediaType) && !INDEX_TYPES.includes(mediaType)) {
    throw new OciError('UNSUPPORTED_MEDIA_TYPE', `unsupported manifest media type ${JSON.stringify(mediaType)}`)
  }
  if (doc.schemaVersion !== 2) throw malformed(`schemaVersion ${JSON.stringify(doc.schemaVersion)} is not 2`)
  if ((mediaType === DOCKER_MANIFEST || mediaType === DOCKER_MANIFEST_LIST) && doc.mediaType === undefined) {
    throw malformed('a Docker schema2 manifest must state its mediaType')
  }
  checkStringMap(doc.annotations, 'annotations')
  if (INDEX_TYPES.includes(mediaType)) {
    if (doc.layers !== undefined || doc.config !== undefined) throw malformed('an index must not have config or layers')
    if (!Array.isArray(doc.manifests)) throw malformed('manifests is not an array')
    doc.manifests.forEach((d, i) => checkDescriptor(d, `manifests[${i}]`))
    return { kind: 'index', index: { ...(doc as unknown as ImageIndex), mediaType } }
  }
  if (doc.manifests !== undefined) throw malformed('an image manifest must not have manifests')
  checkDescriptor(doc.config, 'config')
  if (!Array.isArray(doc.layers)) throw malformed('layers is not an array')
  doc.layers.forEach((d, i) => checkDescriptor(d, `layers[${i}]`))
  if (doc.subject !== undefined) checkDescriptor(doc.subject, 'subject')
  return { kind: 'manifest', manifest: { ...(doc as unknown as ImageManifest), mediaType } }
}
