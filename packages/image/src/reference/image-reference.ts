import {
  formatDockerReference,
  parseDockerReference,
  withDefaultTag,
  type DockerReference,
} from './docker-reference.ts'
import { OciError } from './oci-error.ts'

/** `docker://HOST[:PORT]/REPO[:TAG|@sha256:…]`: an image in a registry (tag defaults to `latest`). */
export interface DockerImageReference {
  readonly transport: 'docker'
  /** Always carries a tag or a digest, never both. */
  readonly ref: DockerReference
}

/** `oci:DIR[:TAG]`: an image in an OCI image layout directory. */
export interface OciLayoutImageReference {
  readonly transport: 'oci'
  readonly dir: string
  /** The `org.opencontainers.image.ref.name`; absent = the layout's only manifest. */
  readonly tag?: string
}

export type ImageReference = DockerImageReference | OciLayoutImageReference

// containers/image's oci transport accepts only these characters in the image name.
const OCI_REF_NAME = /^[A-Za-z0-9._-]+$/

/**
 * Parses a skopeo-style transport reference. `docker://` takes a docker reference, normalized
 * (`docker://busybox` → `docker.io/library/busybox:latest`); tag and digest together are refused,
 * as containers/image does. `oci:` splits at the first `:` into directory and tag.
 */
export function parseImageReference(input: string): ImageReference {
  const colon = input.indexOf(':')
  if (colon <= 0) {
    throw new OciError(
      'INVALID_REFERENCE',
      `invalid image reference ${JSON.stringify(input)}: expected docker://… or oci:…`,
    )
  }
  const transport = input.slice(0, colon)
  const rest = input.slice(colon + 1)
  if (transport === 'docker') {
    if (!rest.startsWith('//')) {
      throw new OciError(
        'INVALID_REFERENCE',
        `invalid image reference ${JSON.stringify(input)}: docker references start with docker://`,
      )
    }
    return parseDockerImageReference(rest.slice(2))
  }
  if (transport === 'oci') return parseOciLayoutReference(rest)
  throw new OciError(
    'INVALID_REFERENCE',
    `unsupported transport ${JSON.stringify(transport)} in ${JSON.stringify(input)} (docker, oci)`,
  )
}

/** The part after `docker://`. */
export function parseDockerImageReference(input: string): DockerImageReference {
  const ref = parseDockerReference(input)
  if (ref.tag !== undefined && ref.digest !== undefined) {
    throw new OciError(
      'INVALID_REFERENCE',
      `docker reference ${JSON.stringify(input)} has both a tag and a digest; give one`,
    )
  }
  return { transport: 'docker', ref: withDefaultTag(ref) }
}

/** The part after `oci:`: `DIR[:TAG]`. */
export function parseOciLayoutReference(input: string): OciLayoutImageReference {
  const colon = input.indexOf(':')
  const dir = colon < 0 ? input : input.slice(0, colon)
  const tag = colon < 0 ? '' : input.slice(colon + 1)
  if (dir === '') throw new OciError('INVALID_REFERENCE', `oci reference ${JSON.stringify(input)} has no directory`)
  if (tag !== '' && !OCI_REF_NAME.test(tag)) {
    throw new OciError(
      'INVALID_REFERENCE',
      `oci reference ${JSON.stringify(input)}: invalid image name ${JSON.stringify(tag)}`,
    )
  }
  return { transport: 'oci', dir, ...(tag === '' ? {} : { tag }) }
}

/** The skopeo spelling of a reference: `docker://name:tag`, `oci:dir:tag`. */
export function formatImageReference(ref: ImageReference): string {
  if (ref.transport === 'docker') return `docker://${formatDockerReference(ref.ref)}`
  return `oci:${ref.dir}${ref.tag === undefined ? '' : `:${ref.tag}`}`
}
