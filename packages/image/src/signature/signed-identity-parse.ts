import { formatDockerReference, isNameOnly, parseDockerReference } from '../reference/docker-reference.ts'
import { expectObject, expectOnlyKeys, invalidPolicy, optionalString } from './policy-json.ts'
import type { SignedIdentity } from './policy-types.ts'

const DEFAULT_IDENTITY: SignedIdentity = { type: 'matchRepoDigestOrExact' }
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/

/** Parses `signedIdentity`; absent → `matchRepoDigestOrExact`. */
export function parseSignedIdentity(v: unknown, where: string): SignedIdentity {
  if (v === undefined) return DEFAULT_IDENTITY
  const obj = expectObject(v, `${where}.signedIdentity`)
  const at = `${where}.signedIdentity`
  const type = optionalString(obj, 'type', at)
  switch (type) {
    case 'matchExact':
    case 'matchRepoDigestOrExact':
    case 'matchRepository':
      expectOnlyKeys(obj, ['type'], at)
      return { type }
    case 'exactReference': {
      expectOnlyKeys(obj, ['type', 'dockerReference'], at)
      const ref = parseNamed(optionalString(obj, 'dockerReference', at), `${at}.dockerReference`)
      if (isNameOnly(ref))
        throw invalidPolicy(`${at}: dockerReference ${formatDockerReference(ref)} contains neither a tag nor a digest`)
      return { type, dockerReference: formatDockerReference(ref) }
    }
    case 'exactRepository': {
      expectOnlyKeys(obj, ['type', 'dockerRepository'], at)
      const ref = parseNamed(optionalString(obj, 'dockerRepository', at), `${at}.dockerRepository`)
      return { type, dockerRepository: ref.name }
    }
    case 'remapIdentity': {
      expectOnlyKeys(obj, ['type', 'prefix', 'signedPrefix'], at)
      const prefix = checkRemapPrefix(optionalString(obj, 'prefix', at), `${at}.prefix`)
      const signedPrefix = checkRemapPrefix(optionalString(obj, 'signedPrefix', at), `${at}.signedPrefix`)
      return { type, prefix, signedPrefix }
    }
    case undefined:
      throw invalidPolicy(`${at}: missing "type"`)
    default:
      throw invalidPolicy(`${at}: Unknown policy reference match type ${JSON.stringify(type)}`)
  }
}

function parseNamed(s: string | undefined, where: string): ReturnType<typeof parseDockerReference> {
  if (s === undefined || s === '') throw invalidPolicy(`${where} is missing`)
  try {
    return parseDockerReference(s)
  } catch (e) {
    throw invalidPolicy(`${where}: ${(e as Error).message}`)
  }
}

/**
 * A remapIdentity prefix is a host[:port] or a repository namespace with its registry host written
 * out (no tag, no digest, no `busybox`-style shorthand), so that matching on the fully expanded
 * reference string means what it says.
 */
function checkRemapPrefix(s: string | undefined, where: string): string {
  if (s === undefined || s === '') throw invalidPolicy(`${where} is missing`)
  if (HOST.test(s)) return s
  let ok: boolean
  try {
    const ref = parseDockerReference(s)
    ok = isNameOnly(ref) && s.startsWith(`${ref.domain}/`)
  } catch {
    ok = false
  }
  if (!ok)
    throw invalidPolicy(`${where}: prefix ${JSON.stringify(s)} is not a host or a repository with its registry host`)
  return s
}
