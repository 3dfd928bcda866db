// Test support: small OCI layouts, JWE key pairs and policies for the pipeline tests.
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { LayoutDestination } from '../layout/layout-destination.ts'
import { sha256Digest } from '../manifest/digest.ts'
import { OCI_CONFIG, OCI_MANIFEST } from '../manifest/media-types.ts'
import { parsePolicy } from '../signature/policy-parse.ts'
import type { Policy } from '../signature/policy-types.ts'
import { buildTar, type TestEntry } from '../unpack/test-tar.ts'

export const TAR_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip'

const scratchDirs: string[] = []

/** A temporary directory, removed by `removeScratchDirs` (call it in `after`). */
export async function scratchDir(prefix = 'carapace-pipeline-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  scratchDirs.push(dir)
  return dir
}

export async function removeScratchDirs(): Promise<void> {
  for (const dir of scratchDirs.splice(0)) await rm(dir, { recursive: true, force: true })
}

export interface TestImage {
  readonly manifestDigest: string
  readonly diffIds: readonly string[]
  readonly layerDigests: readonly string[]
}

/** Writes an image with one gzip layer per entry list into `oci:<dir>:<tag>`. */
export async function writeTestImage(
  dir: string,
  tag: string,
  layers: readonly (readonly TestEntry[])[],
  options: { readonly diffIds?: readonly string[] } = {},
): Promise<TestImage> {
  const dest = new LayoutDestination(dir, tag)
  const descriptors = []
  const diffIds: string[] = []
  for (const entries of layers) {
    const tar = buildTar(entries)
    diffIds.push(sha256Digest(tar))
    const blob = gzipSync(tar)
    const info = await dest.putBlob(Readable.from([blob]))
    descriptors.push({ mediaType: TAR_GZIP, digest: info.digest, size: info.size })
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: ['/bin/sh'] },
      rootfs: { type: 'layers', diff_ids: options.diffIds ?? diffIds },
    }),
  )
  const configInfo = await dest.putBlob(Readable.from([config]))
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: configInfo.digest, size: configInfo.size },
      layers: descriptors,
    }),
  )
  const manifestDigest = await dest.putManifest({ bytes: manifest, mediaType: OCI_MANIFEST })
  await dest.close()
  return { manifestDigest, diffIds, layerDigests: descriptors.map((d) => d.digest) }
}

export const FILES: readonly TestEntry[] = [
  { name: 'etc/', type: '5' },
  { name: 'etc/hostname', data: 'coco-test\n' },
  { name: 'hello.txt', data: 'hello from an encrypted layer\n', mode: 0o600 },
]

export const MORE_FILES: readonly TestEntry[] = [
  { name: 'data/', type: '5' },
  { name: 'data/secret.txt', data: 'second layer secret\n' },
  { name: 'etc/.wh.hostname', data: '' },
]

export function rsaKeyPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  }
}

export function acceptAnything(): Policy {
  return parsePolicy('{"default":[{"type":"insecureAcceptAnything"}]}')
}

export function rejectAll(): Policy {
  return parsePolicy('{"default":[{"type":"reject"}]}')
}
