import { CocoError, parseResourcePath, resourcePathToString, type ResourcePath } from '@carapace/protocol'
import type { Storage } from '@carapace/storage'
import { KbsError } from '../http/errors.ts'

export const RESOURCE_NAMESPACE = 'repository'

/** The `repo/type/tag` after `/resource/`; anything else is upstream's PluginInternalError. */
export function resourcePathOf(segments: readonly string[]): ResourcePath {
  // A decoded `%2F` must not turn one segment into two (the policy saw the segments as sent).
  if (segments.some((segment) => segment.includes('/'))) {
    throw new KbsError('PLUGIN_INTERNAL', 'Plugin resource internal error: a resource path segment contains "/"')
  }
  try {
    return parseResourcePath(segments.join('/'))
  } catch (cause) {
    const detail = cause instanceof CocoError ? cause.message : 'invalid resource path'
    throw new KbsError('PLUGIN_INTERNAL', `Plugin resource internal error: ${detail}`, { cause })
  }
}

export async function readResource(storage: Storage, path: ResourcePath): Promise<Uint8Array> {
  const value = await storage.get(RESOURCE_NAMESPACE, resourcePathToString(path))
  if (value === undefined) {
    throw new KbsError(
      'PLUGIN_INTERNAL',
      `Plugin resource internal error: resource ${resourcePathToString(path)} not found`,
    )
  }
  return value
}

export async function writeResource(storage: Storage, path: ResourcePath, value: Uint8Array): Promise<void> {
  await storage.put(RESOURCE_NAMESPACE, resourcePathToString(path), value)
}

export async function deleteResource(storage: Storage, path: ResourcePath): Promise<void> {
  if (!(await storage.delete(RESOURCE_NAMESPACE, resourcePathToString(path)))) {
    throw new KbsError(
      'PLUGIN_INTERNAL',
      `Plugin resource internal error: resource ${resourcePathToString(path)} not found`,
    )
  }
}
