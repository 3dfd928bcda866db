import { realpath } from 'node:fs/promises'
import { resolve } from 'node:path'
import { dockerPolicyScopes } from '../reference/docker-reference.ts'
import type { ImageReference } from '../reference/image-reference.ts'
import type { Policy, PolicyRequirement } from './policy-types.ts'

/** The scopes under which policy.json is searched for an image, most specific first. */
export interface PolicyScopes {
  readonly transport: string
  readonly scopes: readonly string[]
}

/**
 * docker: exact identity, repository namespaces up to host[:port], `*.domain` wildcards.
 * oci: the layout directory with symlinks resolved, then each parent directory except `/`
 * (containers/image: the image name inside the layout is not part of the identity).
 */
export async function policyScopesFor(ref: ImageReference): Promise<PolicyScopes> {
  if (ref.transport === 'docker') return { transport: 'docker', scopes: dockerPolicyScopes(ref.ref) }
  const dir = await realpath(resolve(ref.dir)).catch(() => resolve(ref.dir))
  const scopes: string[] = []
  let path = dir
  while (path !== '/' && path.lastIndexOf('/') >= 0) {
    scopes.push(path)
    path = path.slice(0, path.lastIndexOf('/'))
  }
  return { transport: 'oci', scopes }
}

/** The one requirement list that applies: first matching scope, then the transport's `""`, then `default`. */
export function requirementsFor(
  policy: Policy,
  scopes: PolicyScopes,
): { scope: string; requirements: readonly PolicyRequirement[] } {
  const byScope = policy.transports.get(scopes.transport)
  if (byScope !== undefined) {
    for (const scope of [...scopes.scopes, '']) {
      const found = byScope.get(scope)
      if (found !== undefined)
        return { scope: scope === '' ? `${scopes.transport} default` : scope, requirements: found }
    }
  }
  return { scope: 'default', requirements: policy.default }
}
