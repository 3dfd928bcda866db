import {
  formatDockerReference,
  isNameOnly,
  parseDockerReference,
  type DockerReference,
} from '../reference/docker-reference.ts'
import type { SignedIdentity } from './policy-types.ts'

function parseOrUndefined(s: string): DockerReference | undefined {
  try {
    return parseDockerReference(s)
  } catch {
    return undefined
  }
}

function matchExact(a: DockerReference, b: DockerReference): boolean {
  if (isNameOnly(a) || isNameOnly(b)) return false
  return formatDockerReference(a) === formatDockerReference(b)
}

/** A tagged intent needs the same tag; a digest intent needs the same repository (the digest is checked separately). */
function matchRepoDigestOrExact(intended: DockerReference, signature: DockerReference): boolean {
  if (intended.tag !== undefined) return formatDockerReference(signature) === formatDockerReference(intended)
  if (intended.digest !== undefined) return signature.name === intended.name
  return false
}

/** `prefix` matches the whole reference or a leading part of it that ends at `/`, `:` or `@`. */
function refMatchesPrefix(ref: string, prefix: string): boolean {
  if (ref.length < prefix.length) return false
  if (ref.length === prefix.length) return ref === prefix
  if (!ref.startsWith(prefix)) return false
  const c = ref[prefix.length]
  return c === '/' || c === ':' || c === '@'
}

function remap(intended: DockerReference, prefix: string, signedPrefix: string): DockerReference | undefined {
  const s = formatDockerReference(intended)
  if (!refMatchesPrefix(s, prefix)) return intended
  return parseOrUndefined(signedPrefix + s.slice(prefix.length))
}

/**
 * Whether a signature claiming `signedReference` is accepted for the image the caller intends to
 * run (`intended`: its docker reference; undefined for transports without one, e.g. oci: layouts,
 * where only exactReference / exactRepository can accept). The signed reference is normalized
 * (`busybox` → `docker.io/library/busybox`); one that does not parse is never accepted.
 */
export function signedIdentityMatches(
  rule: SignedIdentity,
  intended: DockerReference | undefined,
  signedReference: string,
): boolean {
  const signature = parseOrUndefined(signedReference)
  if (signature === undefined) return false
  switch (rule.type) {
    case 'exactReference': {
      const given = parseOrUndefined(rule.dockerReference)
      return given !== undefined && matchExact(given, signature)
    }
    case 'exactRepository': {
      const given = parseOrUndefined(rule.dockerRepository)
      return given !== undefined && signature.name === given.name
    }
    default:
      break
  }
  if (intended === undefined) return false
  switch (rule.type) {
    case 'matchExact':
      return matchExact(intended, signature)
    case 'matchRepoDigestOrExact':
      return matchRepoDigestOrExact(intended, signature)
    case 'matchRepository':
      return signature.name === intended.name
    case 'remapIdentity': {
      const remapped = remap(intended, rule.prefix, rule.signedPrefix)
      return remapped !== undefined && matchRepoDigestOrExact(remapped, signature)
    }
  }
}
