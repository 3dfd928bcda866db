import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { main } from '@carapace/cli'
import { LayoutDestination, OCI_CONFIG, OCI_MANIFEST, sha256Digest } from '@carapace/image'

/** The plain image's files (one gzip layer). */
export const FILES: Record<string, string> = {
  'app/run.sh': '#!/bin/sh\necho confidential workload\n',
  'app/model.bin': 'weights that must stay encrypted on the host\n',
}

/** A ustar archive of regular files. */
function tar(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = []
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text)
    const h = Buffer.alloc(512)
    h.write(name, 0)
    h.write('0000755\0', 100)
    h.write('0000000\0', 108)
    h.write('0000000\0', 116)
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124)
    h.write(`${(1700000000).toString(8).padStart(11, '0')}\0`, 136)
    h.write('0', 156)
    h.write('ustar\x0000', 257, 'latin1')
    h.fill(' ', 148, 156)
    let sum = 0
    for (const b of h) sum += b
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512))
  }
  blocks.push(Buffer.alloc(1024))
  return Buffer.concat(blocks)
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
