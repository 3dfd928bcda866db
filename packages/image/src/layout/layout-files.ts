import { randomUUID } from 'node:crypto'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { isSha256Digest } from '../reference/docker-reference.ts'
import { OciError } from '../reference/oci-error.ts'
import { parseManifest, type ImageIndex } from '../manifest/manifest.ts'
import { OCI_INDEX } from '../manifest/media-types.ts'

export const OCI_LAYOUT_FILE = 'oci-layout'
export const INDEX_FILE = 'index.json'
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name'
export const LAYOUT_VERSION = '1.0.0'

/** Path of a blob in a layout; the digest is validated first so it cannot name anything else. */
export function blobPath(dir: string, digest: string): string {
  if (!isSha256Digest(digest)) throw new OciError('INVALID_ARGUMENT', `not a sha256 digest: ${JSON.stringify(digest)}`)
  return join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length))
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'ENOENT'
}

/** Checks `oci-layout` and reads `index.json`; a missing or malformed one → INVALID_LAYOUT. */
export async function readLayoutIndex(dir: string): Promise<ImageIndex> {
  let layout: unknown
  try {
    layout = JSON.parse(await readFile(join(dir, OCI_LAYOUT_FILE), 'utf8'))
  } catch (e) {
    throw new OciError(
      'INVALID_LAYOUT',
      `${dir} is not an OCI image layout: ${isNotFound(e) ? 'no oci-layout file' : `oci-layout: ${(e as Error).message}`}`,
      { cause: e },
    )
  }
  const version = (layout as { imageLayoutVersion?: unknown } | null)?.imageLayoutVersion
  if (version !== LAYOUT_VERSION) {
    throw new OciError(
      'INVALID_LAYOUT',
      `${dir}: unsupported imageLayoutVersion ${JSON.stringify(version)} (expected ${LAYOUT_VERSION})`,
    )
  }
  let bytes: Buffer
  try {
    bytes = await readFile(join(dir, INDEX_FILE))
  } catch (e) {
    throw new OciError('INVALID_LAYOUT', `${dir}: cannot read index.json: ${(e as Error).message}`, { cause: e })
  }
  try {
    const parsed = parseManifest(bytes, OCI_INDEX)
    if (parsed.kind !== 'index') throw new OciError('INVALID_LAYOUT', `${dir}: index.json is not an image index`)
    return parsed.index
  } catch (e) {
    if (e instanceof OciError && e.code === 'INVALID_LAYOUT') throw e
    throw new OciError('INVALID_LAYOUT', `${dir}: index.json: ${(e as Error).message}`, { cause: e })
  }
}

/** Writes a file through a temporary sibling, fsync and rename, so readers see the old or the new content. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${randomUUID()}`
  try {
    const fh = await open(tmp, 'wx', 0o644)
    try {
      await fh.writeFile(data)
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, path)
  } catch (e) {
    await rm(tmp, { force: true })
    throw e
  }
}
