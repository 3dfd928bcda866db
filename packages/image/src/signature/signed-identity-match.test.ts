import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseDockerReference } from '../reference/docker-reference.ts'
import type { SignedIdentity } from './policy-types.ts'
import { signedIdentityMatches } from './signed-identity-match.ts'

const D = `sha256:${'a'.repeat(64)}`
const ref = (s: string) => parseDockerReference(s)

function check(rule: SignedIdentity, intended: string | undefined, signed: string): boolean {
  return signedIdentityMatches(rule, intended === undefined ? undefined : ref(intended), signed)
}

describe('signedIdentity rules', () => {
  test('matchExact: same tag or same digest only; never name-only', () => {
    const r: SignedIdentity = { type: 'matchExact' }
    assert.equal(check(r, 'example.com/ns/app:v1', 'example.com/ns/app:v1'), true)
    assert.equal(check(r, 'busybox:latest', 'docker.io/library/busybox:latest'), true)
    assert.equal(check(r, 'example.com/ns/app:v1', 'example.com/ns/app:v2'), false)
    assert.equal(check(r, `example.com/ns/app@${D}`, 'example.com/ns/app:v1'), false)
    assert.equal(check(r, `example.com/ns/app@${D}`, `example.com/ns/app@${D}`), true)
    assert.equal(check(r, 'example.com/ns/app:v1', 'example.com/ns/app'), false)
  })

  test('matchRepoDigestOrExact: tag intent needs the tag, digest intent the repository', () => {
    const r: SignedIdentity = { type: 'matchRepoDigestOrExact' }
    assert.equal(check(r, 'example.com/ns/app:v1', 'example.com/ns/app:v1'), true)
    assert.equal(check(r, 'example.com/ns/app:v1', 'example.com/ns/app:v2'), false)
    assert.equal(check(r, 'example.com/ns/app:v1', 'example.com/ns/app'), false)
    assert.equal(check(r, `example.com/ns/app@${D}`, 'example.com/ns/app:anything'), true)
    assert.equal(check(r, `example.com/ns/app@${D}`, 'example.com/ns/app'), true)
    assert.equal(check(r, `example.com/ns/app@${D}`, 'example.com/ns/other:v1'), false)
  })

  test('matchRepository: same repository, any tag, repository-only signatures too', () => {
    const r: SignedIdentity = { type: 'matchRepository' }
    assert.equal(check(r, 'example.com/ns/app:v2', 'example.com/ns/app:v1'), true)
    assert.equal(check(r, 'example.com/ns/app:v2', 'example.com/ns/app'), true)
    assert.equal(check(r, 'example.com/ns/app:v2', 'example.com/ns/app2'), false)
    assert.equal(check(r, 'example.com/ns/app:v2', 'other.com/ns/app'), false)
  })

  test('exactReference and exactRepository ignore the intended reference (usable for oci: layouts)', () => {
    const exactRef: SignedIdentity = { type: 'exactReference', dockerReference: 'example.com/ns/app:v1' }
    assert.equal(check(exactRef, undefined, 'example.com/ns/app:v1'), true)
    assert.equal(check(exactRef, 'other.com/x:y', 'example.com/ns/app:v1'), true)
    assert.equal(check(exactRef, undefined, 'example.com/ns/app:v2'), false)
    assert.equal(check(exactRef, undefined, 'example.com/ns/app'), false)
    const exactRepo: SignedIdentity = { type: 'exactRepository', dockerRepository: 'example.com/ns/app' }
    assert.equal(check(exactRepo, undefined, 'example.com/ns/app'), true)
    assert.equal(check(exactRepo, undefined, 'example.com/ns/app:v9'), true)
    assert.equal(check(exactRepo, undefined, 'example.com/ns/other'), false)
  })

  test('the intent-relative rules refuse images without a docker reference', () => {
    for (const type of ['matchExact', 'matchRepoDigestOrExact', 'matchRepository'] as const) {
      assert.equal(check({ type }, undefined, 'example.com/ns/app:v1'), false)
    }
  })

  test('remapIdentity: the prefix is replaced, then matchRepoDigestOrExact', () => {
    const r: SignedIdentity = {
      type: 'remapIdentity',
      prefix: 'mirror.local:5000/hub',
      signedPrefix: 'docker.io/library',
    }
    assert.equal(check(r, 'mirror.local:5000/hub/busybox:1', 'docker.io/library/busybox:1'), true)
    assert.equal(check(r, 'mirror.local:5000/hub/busybox:1', 'busybox:1'), true)
    assert.equal(check(r, 'mirror.local:5000/hub/busybox:1', 'docker.io/library/busybox:2'), false)
    assert.equal(check(r, 'mirror.local:5000/hub/busybox:1', 'mirror.local:5000/hub/busybox:1'), false)
    assert.equal(check(r, `mirror.local:5000/hub/busybox@${D}`, 'docker.io/library/busybox:any'), true)
    // `hubx` does not start with the prefix at a component boundary: no remapping
    assert.equal(check(r, 'mirror.local:5000/hubx/busybox:1', 'docker.io/library/busybox:1'), false)
    assert.equal(check(r, 'mirror.local:5000/hubx/busybox:1', 'mirror.local:5000/hubx/busybox:1'), true)
    const host: SignedIdentity = { type: 'remapIdentity', prefix: 'mirror.local:5000', signedPrefix: 'quay.io' }
    assert.equal(check(host, 'mirror.local:5000/ns/app:v1', 'quay.io/ns/app:v1'), true)
  })

  test('a signed reference that does not parse is never accepted', () => {
    for (const type of ['matchExact', 'matchRepoDigestOrExact', 'matchRepository'] as const) {
      assert.equal(check({ type }, 'example.com/ns/app:v1', 'Example.com/NS/App:v1'), false)
      assert.equal(check({ type }, 'example.com/ns/app:v1', ''), false)
    }
  })
})
