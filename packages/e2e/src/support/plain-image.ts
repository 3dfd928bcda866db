import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { main } from '@carapace/cli'
import { LayoutDestination, OCI_CONFIG, OCI_MANIFEST, sha256Digest } from '@carapace/image'
import { buildTar } from '@carapace/image/test-tar'

/** The plain image's files (one gzip layer). */
export const FILES: Record<string, string> = {
  'app/run.sh': '#!/bin/sh\necho confidential workload\n',
  'app/model.bin': 'weights that must stay encrypted on the host\n',
}

/** A ustar archive of regular files. */
function tar(files: Record<string, string>): Buffer {
  return buildTar(Object.entries(files).map(([name, data]) => ({ name, data, mode: 0o755 })))
}

/** An OCI layout at `dir` tagged `v1`: one gzip layer of FILES, Entrypoint /app/run.sh. */
export async function writePlainImage(dir: string): Promise<void> {
  const dest = new LayoutDestination(dir, 'v1')
  const layer = tar(FILES)
  const blob = await dest.putBlob(Readable.from([gzipSync(layer)]))
  const config = Buffer.from(
    JSON.stringify({
      os: 'linux',
      architecture: 'amd64',
      config: { Entrypoint: ['/app/run.sh'] },
      rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] },
    }),
  )
  const c = await dest.putBlob(Readable.from([config]))
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: c.digest, size: c.size },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: blob.digest, size: blob.size }],
  }
  await dest.putManifest({ bytes: Buffer.from(JSON.stringify(manifest)), mediaType: OCI_MANIFEST })
}

/** The `carapace` CLI in-process. */
export async function carapace(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, {
    stdout: (t) => {
      out += t
    },
    stderr: (t) => {
      err += t
    },
  })
  return { code, out, err }
}
