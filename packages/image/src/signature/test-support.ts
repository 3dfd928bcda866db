// Test-only helpers for the signature tests: fixture paths (fixtures/signature, see its README).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { LayoutSource } from '../layout/layout-source.ts'
import type { ImageSource, RawManifest } from '../manifest/image-transport.ts'
import { parseImageReference } from '../reference/image-reference.ts'
import type { PolicyContext, PolicyDecision } from './policy-evaluate.ts'
import { evaluatePolicy } from './policy-evaluate.ts'
import { parsePolicy } from './policy-parse.ts'
import type { Policy } from './policy-types.ts'
import { parseRegistriesD, type RegistriesConfig } from './registries-d.ts'

export const FIXTURES = fileURLToPath(new URL('../../fixtures/signature/', import.meta.url))
export const PLAIN_DIGEST = 'sha256:a8255c6c6be9039d7b45a9f0f7bef238c1eb41a1fc0791d547967c5abdbf10af'
export const OTHER_DIGEST = 'sha256:8a4da9fba464867b9dee38029063d9b4885c5664f508208b254f71069c91fa4f'
/** After the vector signatures were made (2026-11-23), so GPG validity checks are deterministic. */
export const NOW = new Date('2026-12-01T00:00:00Z')

export function fixture(path: string): string {
  return `${FIXTURES}${path}`
}

export function fixtureBytes(path: string): Buffer {
  return readFileSync(fixture(path))
}

export function fixturePolicy(name: string): Policy {
  return parsePolicy(fixtureBytes(`policy/${name}`))
}

/** The vectors' registries.d with its `$VEC` placeholder pointing at the fixtures. */
export function fixtureRegistries(): RegistriesConfig {
  const text = fixtureBytes('registries.d/local.yaml').toString('utf8').replaceAll('$VEC', FIXTURES.replace(/\/$/, ''))
  return parseRegistriesD([{ name: 'local.yaml', text }])
}

/** The layout that holds the image the vectors pushed to 127.0.0.1:5000/coco/<repo>. */
const LAYOUT_OF: Record<string, string> = { 'cosign-style': 'cosign-style' }

/**
 * Evaluates `policy` for `docker://127.0.0.1:5000/coco/<repoAndTag>` as the vectors did against the
 * registry, with the registry repository replaced by the fixture layout that holds the same
 * manifests and `.sig` tags.
 */
export async function evaluateVector(
  repoAndTag: string,
  policy: Policy,
  ctx: Partial<PolicyContext> = {},
): Promise<PolicyDecision> {
  const reference = parseImageReference(`docker://127.0.0.1:5000/coco/${repoAndTag}`)
  if (reference.transport !== 'docker') throw new Error('unreachable')
  const repo = reference.ref.path.replace(/^coco\//, '')
  const source: ImageSource = new LayoutSource(fixture(`layouts/${LAYOUT_OF[repo] ?? 'signed-sigstore'}`))
  const manifest: RawManifest = await source.getManifest(reference.ref.digest ?? reference.ref.tag)
  return evaluatePolicy(
    { policy, registries: fixtureRegistries(), now: () => NOW, ...ctx },
    { reference, source, manifest },
  )
}
