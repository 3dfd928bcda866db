import { ProtocolError } from '../errors.ts'

/** A KBS resource of the `resource` plugin: `<repository>/<type>/<tag>`. */
export interface ResourcePath {
  repository: string
  type: string
  tag: string
}

// Trustee kbs/src/plugins/implementations/resource/backend.rs: three segments, none starting with '.'.
const RESOURCE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*\/[A-Za-z0-9_-][A-Za-z0-9_.-]*\/[A-Za-z0-9_-][A-Za-z0-9_.-]*$/

export function isResourcePath(text: string): boolean {
  return RESOURCE_PATH.test(text)
}

/** Parses `repo/type/tag` (no leading `/`); anything else is `INVALID_RESOURCE_PATH`. */
export function parseResourcePath(text: string): ResourcePath {
  if (!isResourcePath(text)) {
    throw new ProtocolError(
      'INVALID_RESOURCE_PATH',
      `resource path ${JSON.stringify(text)} is not <repository>/<type>/<tag> of [A-Za-z0-9_.-], none starting with '.'`,
    )
  }
  const [repository = '', type = '', tag = ''] = text.split('/')
  return { repository, type, tag }
}

/** The path segments after `/kbs/v0/resource/`, as the KBS router hands them over. */
export function resourcePathFromSegments(segments: readonly string[]): ResourcePath {
  return parseResourcePath(segments.join('/'))
}

export function resourcePathToString(path: ResourcePath): string {
  return `${path.repository}/${path.type}/${path.tag}`
}
