import type { ImageDestination, ImageSource, RawManifest } from '../manifest/image-transport.ts'
import type { Descriptor } from '../manifest/manifest.ts'
import { PipelineError } from './pipeline-error.ts'

// What the encrypt and decrypt pipelines share: layer selection, manifest rewriting, blob copies.

/** Layer indexes chosen by `selection` (negative counts from the end, as ocicrypt's); all when absent. */
export function selectedLayers(selection: readonly number[] | undefined, count: number, where: string): Set<number> {
  if (selection === undefined) return new Set(Array.from({ length: count }, (_, i) => i))
  const chosen = new Set<number>()
  for (const n of selection) {
    const index = n < 0 ? count + n : n
    if (!Number.isInteger(n) || index < 0 || index >= count) {
      throw new PipelineError('INVALID_ARGUMENT', `${where} has ${count} layers; there is no layer ${n}`)
    }
    chosen.add(index)
  }
  return chosen
}

/** The manifest JSON with some members replaced; members we do not know are kept. */
export function rewriteManifest(raw: RawManifest, replace: object): Buffer {
  const doc = JSON.parse(raw.bytes.toString('utf8')) as Record<string, unknown>
  return Buffer.from(JSON.stringify({ schemaVersion: 2, ...doc, ...replace }))
}

/** Copies a blob unchanged (verified as it streams) unless the destination has it already. */
export async function copyBlob(source: ImageSource, destination: ImageDestination, blob: Descriptor): Promise<void> {
  if (await destination.hasBlob(blob.digest)) return
  const stream = await source.getBlob(blob)
  try {
    await destination.putBlob(stream, { digest: blob.digest, size: blob.size })
  } finally {
    stream.destroy()
  }
}
