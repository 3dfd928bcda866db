import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface TempDataDir {
  readonly path: string
  remove(): Promise<void>
}

/** A fresh private directory under the OS temp dir, for one test's KBS data. */
export async function makeTempDataDir(prefix = 'carapace-e2e-'): Promise<TempDataDir> {
  const path = await mkdtemp(join(tmpdir(), prefix))
  return {
    path,
    remove: () => rm(path, { recursive: true, force: true }),
  }
}
