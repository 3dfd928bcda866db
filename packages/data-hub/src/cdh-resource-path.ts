import { isResourcePath } from '@carapace/protocol'
import { CdhError } from './cdh-error.ts'

/**
 * The KBS resource path (`repo/type/tag`) for the part of a `/cdh/resource` URL after
 * `/cdh/resource` (e.g. `/default/key/1`). The raw, undecoded path is checked, so `..`, `%2e%2e`,
 * leading dots, empty segments and a wrong segment count never reach the KBS.
 */
export function cdhResourcePath(rawSuffix: string): string {
  const path = rawSuffix.startsWith('/') ? rawSuffix.slice(1) : rawSuffix
  if (!rawSuffix.startsWith('/') || !isResourcePath(path)) {
    throw new CdhError(
      'INVALID_RESOURCE_PATH',
      `resource path ${JSON.stringify(rawSuffix)} is not /<repository>/<type>/<tag> of [A-Za-z0-9_.-], none starting with '.'`,
    )
  }
  return path
}
