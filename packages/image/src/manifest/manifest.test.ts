import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { OciError } from '../reference/oci-error.ts'
import { parseManifest } from './manifest.ts'
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST } from './media-types.ts'
import { currentPlatform, parsePlatform, selectPlatform } from './platform.ts'

const D = (c: string) => `sha256:${c.repeat(64)}`
const desc = (mediaType: string, c: string, extra: object = {}) => ({ mediaType, digest: D(c), size: 10, ...extra })
const bytes = (doc: unknown) => Buffer.from(JSON.stringify(doc))

function fails(doc: unknown, code: string, why: RegExp, declared?: string): void {
  assert.throws(
    () => parseManifest(typeof doc === 'string' ? Buffer.from(doc) : bytes(doc), declared),
    (e: unknown) => e instanceof OciError && e.code === code && why.test(e.message),
  )
}

describe('parseManifest', () => {
  test('Docker schema2 manifest and manifest list', () => {
    const m = parseManifest(
      bytes({
        schemaVersion: 2,
        mediaType: DOCKER_MANIFEST,
        config: desc('application/vnd.docker.container.image.v1+json', 'a'),
        layers: [desc('application/vnd.docker.image.rootfs.diff.tar.gzip', 'b')],
      }),
      DOCKER_MANIFEST,
    )
    assert.ok(m.kind === 'manifest' && m.manifest.mediaType === DOCKER_MANIFEST && m.manifest.layers.length === 1)
    const l = parseManifest(
      bytes({
        schemaVersion: 2,
        mediaType: DOCKER_MANIFEST_LIST,
        manifests: [desc(DOCKER_MANIFEST, 'c', { platform: { os: 'linux', architecture: 'amd64' } })],
      }),
    )
    assert.ok(l.kind === 'index' && l.index.mediaType === DOCKER_MANIFEST_LIST)
  })

  test('an OCI manifest or index without mediaType is recognised by its members; unknown members are kept', () => {
    const m = parseManifest(
      bytes({ schemaVersion: 2, config: desc('x', 'a'), layers: [], extra: 1 }),
      'application/json',
    )
    assert.ok(m.kind === 'manifest' && m.manifest.mediaType === OCI_MANIFEST)
    assert.equal((m.manifest as unknown as { extra: number }).extra, 1)
    const i = parseManifest(bytes({ schemaVersion: 2, manifests: [] }))
    assert.ok(i.kind === 'index' && i.index.mediaType === OCI_INDEX)
  })

  test('malformed and unsupported manifests are coded errors', () => {
    fails('not json', 'MALFORMED_MANIFEST', /not JSON/)
    fails([], 'MALFORMED_MANIFEST', /not a JSON object/)
    fails({ schemaVersion: 1, fsLayers: [] }, 'UNSUPPORTED_MEDIA_TYPE', /manifest\.v1\+json/)
    fails({ schemaVersion: 2, mediaType: 'application/vnd.example+json' }, 'UNSUPPORTED_MEDIA_TYPE', /vnd\.example/)
    fails(
      { schemaVersion: 2, mediaType: OCI_MANIFEST, config: desc('x', 'a'), layers: [] },
      'MALFORMED_MANIFEST',
      /does not match/,
      OCI_INDEX,
    )
    fails(
      { schemaVersion: 3, mediaType: OCI_MANIFEST, config: desc('x', 'a'), layers: [] },
      'MALFORMED_MANIFEST',
      /schemaVersion/,
    )
    fails(
      { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...desc('x', 'a'), digest: 'md5:abc' }, layers: [] },
      'MALFORMED_MANIFEST',
      /config\.digest/,
    )
    fails(
      { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { ...desc('x', 'a'), size: -1 }, layers: [] },
      'MALFORMED_MANIFEST',
      /config\.size/,
    )
    fails(
      { schemaVersion: 2, mediaType: OCI_MANIFEST, config: desc('x', 'a'), layers: {} },
      'MALFORMED_MANIFEST',
      /layers is not an array/,
    )
    fails(
      {
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: desc('x', 'a'),
        layers: [{ ...desc('x', 'b'), annotations: { a: 1 } }],
      },
      'MALFORMED_MANIFEST',
      /annotations/,
    )
    fails(
      { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [], layers: [] },
      'MALFORMED_MANIFEST',
      /must not have config or layers/,
    )
    fails(
      { schemaVersion: 2, config: desc('x', 'a'), layers: [], manifests: [] },
      'MALFORMED_MANIFEST',
      /must not have config or layers/,
    )
  })
})

describe('platform selection', () => {
  const index = {
    schemaVersion: 2 as const,
    mediaType: OCI_INDEX,
    manifests: [
      desc(OCI_MANIFEST, '1', { platform: { os: 'linux', architecture: 'arm', variant: 'v6' } }),
      desc(OCI_MANIFEST, '2', { platform: { os: 'linux', architecture: 'arm' } }),
      desc(OCI_MANIFEST, '3', { platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } }),
      desc(OCI_MANIFEST, '4', { platform: { os: 'windows', architecture: 'amd64' } }),
      desc(OCI_MANIFEST, '5', { platform: { os: 'linux', architecture: 'amd64' } }),
      desc(OCI_MANIFEST, '6', { platform: { os: 'unknown', architecture: 'unknown' } }),
    ],
  }
  test('os/arch match, default variants (arm = v7, arm64 = v8), explicit variants', () => {
    assert.equal(selectPlatform(index, parsePlatform('linux/amd64')).digest, D('5'))
    assert.equal(selectPlatform(index, parsePlatform('linux/arm64')).digest, D('3'))
    assert.equal(selectPlatform(index, parsePlatform('linux/arm')).digest, D('2'))
    assert.equal(selectPlatform(index, parsePlatform('linux/arm/v7')).digest, D('2'))
    assert.equal(selectPlatform(index, parsePlatform('linux/arm/v6')).digest, D('1'))
    assert.equal(selectPlatform(index, parsePlatform('windows/amd64')).digest, D('4'))
    assert.throws(
      () => selectPlatform(index, parsePlatform('linux/arm64/v9')),
      (e: unknown) => e instanceof OciError && e.code === 'NO_MATCHING_PLATFORM',
    )
    assert.throws(
      () => parsePlatform('linux'),
      (e: unknown) => e instanceof OciError && e.code === 'INVALID_ARGUMENT',
    )
    assert.equal(currentPlatform().os, 'linux')
  })
})
