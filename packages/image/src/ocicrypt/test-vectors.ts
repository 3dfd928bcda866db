// Test-only helpers: read the copied skopeo vector layouts (fixtures/ocicrypt, see its README).
import { createReadStream, readFileSync } from 'node:fs'
import type { Readable } from 'node:stream'
import type { LayerDescriptor } from './layer-descriptor.ts'

export const FIXTURES = new URL('../../fixtures/ocicrypt/', import.meta.url)

export interface ExpectedLayer {
  mediaType: string
  digest: string
  annotationKeys: string[]
  unwrappedBy?: { scheme: string; key?: string; kek?: string }[]
  privopts?: { symkey: string; digest: string; cipheroptions: { nonce: string } }
  plaintextDigest?: string
  hmacOk?: boolean
}

export function fixtureText(path: string): string {
  return readFileSync(new URL(path, FIXTURES), 'utf8')
}

export function fixtureBytes(path: string): Buffer {
  return readFileSync(new URL(path, FIXTURES))
}

/** Layer descriptors of the layout's first manifest, read from its index.json and manifest blob. */
export function layoutLayers(layout: string): LayerDescriptor[] {
  const index = JSON.parse(fixtureText(`layouts/${layout}/index.json`)) as { manifests: { digest: string }[] }
  const manifestDigest = index.manifests[0]?.digest ?? ''
  const manifest = JSON.parse(fixtureText(`layouts/${layout}/blobs/${manifestDigest.replace(':', '/')}`)) as {
    layers: LayerDescriptor[]
  }
  return manifest.layers
}

export function expectedLayers(layout: string): ExpectedLayer[] {
  const expected = JSON.parse(fixtureText(`layouts/${layout}.expected.json`)) as {
    manifests: { layers: ExpectedLayer[] }[]
  }
  return expected.manifests[0]?.layers ?? []
}

export function blobStream(layout: string, digest: string): Readable {
  return createReadStream(new URL(`layouts/${layout}/blobs/${digest.replace(':', '/')}`, FIXTURES))
}

/** One recorded key-provider exchange per line (`wire/*.jsonl`). */
export function wireRecords(file: string): Record<string, unknown>[] {
  return fixtureText(`wire/${file}`)
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
}
