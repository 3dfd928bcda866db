// Test support: temporary directories, layer builders and a rootfs lister.
import { chmod, lstat, mkdtemp, readdir, readlink, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LayerToUnpack } from './unpack-layers.ts'
import { buildTar, chunked, sha256DiffId, type TestEntry } from './test-tar.ts'

export const TAR = 'application/vnd.oci.image.layer.v1.tar'

export async function scratch(): Promise<{ dir: string; dest: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'carapace-unpack-'))
  return { dir, dest: join(dir, 'rootfs') }
}

export function tarLayer(entries: readonly TestEntry[], extra: Partial<LayerToUnpack> = {}): LayerToUnpack {
  const tar = buildTar(entries)
  return { mediaType: TAR, stream: chunked(tar, 333), diffId: sha256DiffId(tar), ...extra }
}

/** `path type` lines (f file, d dir, l symlink -> target, o other), sorted; the root is not listed. */
export async function listTree(root: string, rel = ''): Promise<string[]> {
  const out: string[] = []
  for (const name of (await readdir(join(root, rel))).sort()) {
    const p = rel === '' ? name : `${rel}/${name}`
    const st = await lstat(join(root, p))
    if (st.isDirectory()) out.push(`${p} d`, ...(await listTree(root, p)))
    else if (st.isSymbolicLink()) out.push(`${p} l -> ${await readlink(join(root, p))}`)
    else out.push(`${p} ${st.isFile() ? 'f' : 'o'}`)
  }
  return out
}

/** rm -rf that also works without root on trees holding read-only directories (archive modes). */
export async function removeTree(p: string): Promise<void> {
  const open = async (d: string): Promise<void> => {
    await chmod(d, 0o700).catch(() => undefined)
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => []))
      if (e.isDirectory()) await open(join(d, e.name))
  }
  await open(p)
  await rm(p, { recursive: true, force: true })
}
