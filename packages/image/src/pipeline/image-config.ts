import type { ImageSource } from '../manifest/image-transport.ts'
import type { Descriptor } from '../manifest/manifest.ts'
import { PipelineError } from './pipeline-error.ts'

/** Image configs are small JSON documents; refuse anything bigger before reading it. */
export const CONFIG_SIZE_LIMIT = 8 * 1024 * 1024

export interface ImageConfig {
  /** The config blob exactly as fetched (its digest was verified). */
  readonly bytes: Buffer
  /** `rootfs.diff_ids`: one `sha256:<hex>` per layer, the uncompressed plaintext tar's digest. */
  readonly diffIds: readonly string[]
}

/** Fetches the config blob (digest- and size-verified) and reads its `rootfs.diff_ids`. */
export async function readImageConfig(source: ImageSource, descriptor: Descriptor): Promise<ImageConfig> {
  if (descriptor.size > CONFIG_SIZE_LIMIT) {
    throw new PipelineError(
      'INVALID_CONFIG',
      `${source.name}: image config ${descriptor.digest} is ${descriptor.size} bytes, more than ${CONFIG_SIZE_LIMIT}`,
    )
  }
  const stream = await source.getBlob(descriptor)
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  const bytes = Buffer.concat(chunks)
  return { bytes, diffIds: parseDiffIds(bytes, `${source.name}: image config ${descriptor.digest}`) }
}

function parseDiffIds(bytes: Buffer, what: string): string[] {
  let config: unknown
  try {
    config = JSON.parse(bytes.toString('utf8'))
  } catch (cause) {
    throw new PipelineError('INVALID_CONFIG', `${what} is not JSON`, { cause })
  }
  const rootfs = isRecord(config) ? config['rootfs'] : undefined
  const diffIds = isRecord(rootfs) ? rootfs['diff_ids'] : undefined
  if (!Array.isArray(diffIds) || diffIds.some((d) => typeof d !== 'string' || !/^sha(256|512):[0-9a-f]+$/.test(d))) {
    throw new PipelineError('INVALID_CONFIG', `${what} has no rootfs.diff_ids list of digests`)
  }
  return diffIds as string[]
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
