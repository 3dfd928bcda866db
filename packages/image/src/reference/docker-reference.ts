import { OciError } from './oci-error.ts'

/**
 * A docker image reference, normalized the way docker and containers/image do it
 * (`busybox` → `docker.io/library/busybox`). Used for `docker://` references and for the
 * identities that signatures and policies name.
 */
export interface DockerReference {
  /** Registry host with optional port, e.g. `docker.io`, `127.0.0.1:5000`, `[::1]:5000`. */
  readonly domain: string
  /** Repository path inside the registry, e.g. `library/busybox`, `coco/plain`. */
  readonly path: string
  /** `domain/path`: the repository name (what `matchRepository` compares). */
  readonly name: string
  readonly tag?: string
  /** `sha256:<64 hex>`. */
  readonly digest?: string
}

export const DEFAULT_DOCKER_DOMAIN = 'docker.io'
const LEGACY_DOCKER_DOMAIN = 'index.docker.io'
const NAME_TOTAL_LENGTH_MAX = 255

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const DOMAIN =
  /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^sha256:[a-f0-9]{64}$/
const DIGEST_SHAPE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/
const HEX64 = /^[a-f0-9]{64}$/

function invalid(input: string, why: string): OciError {
  return new OciError('INVALID_REFERENCE', `invalid docker reference ${JSON.stringify(input)}: ${why}`)
}

/** True when `s` is `sha256:` followed by 64 lowercase hex digits. */
export function isSha256Digest(s: string): boolean {
  return DIGEST.test(s)
}

/**
 * Parses a docker reference as `reference.ParseNormalizedNamed` does: `[domain/]path[:tag][@digest]`,
 * the domain defaulting to docker.io (`library/` for single-component names). A name without tag
 * or digest is returned as is (name-only); see `withDefaultTag`.
 */
export function parseDockerReference(input: string): DockerReference {
  if (input === '') throw invalid(input, 'empty')
  if (HEX64.test(input)) throw invalid(input, 'a 64-hex-digit string is an image ID, not a repository name')
  let rest = input
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST_SHAPE.test(digest)) throw invalid(input, `malformed digest ${JSON.stringify(digest)}`)
    if (!DIGEST.test(digest)) throw invalid(input, `unsupported digest ${JSON.stringify(digest)} (sha256 only)`)
  }
  let tag: string | undefined
  const lastColon = rest.lastIndexOf(':')
  if (lastColon > rest.lastIndexOf('/')) {
    tag = rest.slice(lastColon + 1)
    rest = rest.slice(0, lastColon)
    if (!TAG.test(tag)) throw invalid(input, `malformed tag ${JSON.stringify(tag)}`)
  }
  let domain: string
  let path: string
  const slash = rest.indexOf('/')
  const first = slash < 0 ? '' : rest.slice(0, slash)
  if (slash < 0 || (!/[.:]/.test(first) && first !== 'localhost' && first.toLowerCase() === first)) {
    domain = DEFAULT_DOCKER_DOMAIN
    path = rest
  } else {
    domain = first
    path = rest.slice(slash + 1)
  }
  if (domain === LEGACY_DOCKER_DOMAIN) domain = DEFAULT_DOCKER_DOMAIN
  if (domain === DEFAULT_DOCKER_DOMAIN && !path.includes('/')) path = `library/${path}`
  if (path.toLowerCase() !== path) throw invalid(input, 'repository name must be lowercase')
  if (!DOMAIN.test(domain)) throw invalid(input, `malformed registry host ${JSON.stringify(domain)}`)
  for (const component of path.split('/')) {
    if (!PATH_COMPONENT.test(component)) {
      throw invalid(input, `malformed repository path component ${JSON.stringify(component)}`)
    }
  }
  const name = `${domain}/${path}`
  if (name.length > NAME_TOTAL_LENGTH_MAX) throw invalid(input, `repository name longer than ${NAME_TOTAL_LENGTH_MAX}`)
  return { domain, path, name, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) }
}

/** `name[:tag][@digest]`, fully expanded (`docker.io/library/busybox:latest`). */
export function formatDockerReference(ref: DockerReference): string {
  return `${ref.name}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`
}

/** True when the reference has neither tag nor digest. */
export function isNameOnly(ref: DockerReference): boolean {
  return ref.tag === undefined && ref.digest === undefined
}

/** Adds the `latest` tag to a name-only reference (`reference.TagNameOnly`). */
export function withDefaultTag(ref: DockerReference): DockerReference {
  return isNameOnly(ref) ? { ...ref, tag: 'latest' } : ref
}

/** The same repository with another tag or digest (or none). */
export function withIdentifier(ref: DockerReference, id: { tag?: string; digest?: string }): DockerReference {
  return parseDockerReference(
    `${ref.name}${id.tag === undefined ? '' : `:${id.tag}`}${id.digest === undefined ? '' : `@${id.digest}`}`,
  )
}

/**
 * The policy.json / registries.d scopes that apply to a reference, most specific first
 * (containers/image `docker/policyconfiguration`): the exact identity, the repository and its parent
 * namespaces up to `host[:port]`, then `*.domain` wildcards built from the host without its port.
 * The transport default `""` and the global default are not included.
 */
export function dockerPolicyScopes(ref: DockerReference): string[] {
  const scopes: string[] = []
  if (!isNameOnly(ref)) scopes.push(formatDockerReference(ref.digest === undefined ? ref : { ...ref, tag: undefined }))
  const parts = ref.name.split('/')
  for (let n = parts.length; n >= 1; n--) scopes.push(parts.slice(0, n).join('/'))
  const host = ref.domain.startsWith('[') ? undefined : ref.domain.replace(/:[0-9]+$/, '')
  if (host !== undefined) {
    const labels = host.split('.')
    for (let i = 1; i < labels.length; i++) scopes.push(`*.${labels.slice(i).join('.')}`)
  }
  return scopes
}

/** The host to contact for a registry domain: Docker Hub's API lives at registry-1.docker.io. */
export function registryEndpointHost(domain: string): string {
  return domain === DEFAULT_DOCKER_DOMAIN ? 'registry-1.docker.io' : domain
}
