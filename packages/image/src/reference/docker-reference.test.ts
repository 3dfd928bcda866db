import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  dockerPolicyScopes,
  formatDockerReference,
  isNameOnly,
  parseDockerReference,
  registryEndpointHost,
  withDefaultTag,
} from './docker-reference.ts'
import { OciError } from './oci-error.ts'

const D = `sha256:${'a'.repeat(64)}`

describe('parseDockerReference', () => {
  test('normalizes like docker: docker.io, library/, index.docker.io', () => {
    assert.deepEqual(parseDockerReference('busybox'), {
      domain: 'docker.io',
      path: 'library/busybox',
      name: 'docker.io/library/busybox',
    })
    assert.equal(formatDockerReference(parseDockerReference('busybox:1.36')), 'docker.io/library/busybox:1.36')
    assert.equal(formatDockerReference(parseDockerReference('someone/app')), 'docker.io/someone/app')
    assert.equal(formatDockerReference(parseDockerReference('index.docker.io/busybox')), 'docker.io/library/busybox')
    assert.equal(formatDockerReference(parseDockerReference('docker.io/x/y/z:t')), 'docker.io/x/y/z:t')
  })

  test('a first component with a dot, a port, localhost or capitals is a registry host', () => {
    const r = parseDockerReference('127.0.0.1:5000/coco/plain:v1')
    assert.deepEqual(r, { domain: '127.0.0.1:5000', path: 'coco/plain', name: '127.0.0.1:5000/coco/plain', tag: 'v1' })
    assert.equal(parseDockerReference('localhost/app').domain, 'localhost')
    assert.equal(parseDockerReference('quay.io/a/b@' + D).digest, D)
    assert.equal(parseDockerReference('Registry/app').domain, 'Registry')
    assert.equal(parseDockerReference('[::1]:5000/app:v').domain, '[::1]:5000')
    assert.equal(parseDockerReference('library/app').domain, 'docker.io')
  })

  test('tag and digest together parse (signature identities may carry both)', () => {
    const r = parseDockerReference(`quay.io/a:v1@${D}`)
    assert.equal(r.tag, 'v1')
    assert.equal(r.digest, D)
    assert.equal(formatDockerReference(r), `quay.io/a:v1@${D}`)
  })

  for (const [input, why] of [
    ['', /empty/],
    ['Busybox', /lowercase/],
    ['quay.io/A/b', /lowercase/],
    ['a'.repeat(64), /image ID/],
    ['quay.io/a:bad tag', /malformed tag/],
    ['quay.io/a:-x', /malformed tag/],
    ['quay.io/a@sha256:abc', /malformed digest/],
    [`quay.io/a@sha512:${'a'.repeat(128)}`, /sha256 only/],
    ['quay.io/a//b', /path component/],
    ['quay.io/a_-b', /path component/],
    ['-bad.io:5000/a', /registry host/],
    [`quay.io/${'a'.repeat(250)}`, /longer than 255/],
  ] as const) {
    test(`rejects ${JSON.stringify(input.slice(0, 40))}`, () => {
      assert.throws(
        () => parseDockerReference(input),
        (e: unknown) => e instanceof OciError && e.code === 'INVALID_REFERENCE' && why.test(e.message),
      )
    })
  }

  test('name-only, default tag', () => {
    const r = parseDockerReference('quay.io/a')
    assert.equal(isNameOnly(r), true)
    assert.equal(withDefaultTag(r).tag, 'latest')
    assert.equal(isNameOnly(parseDockerReference('quay.io/a@' + D)), false)
  })

  test('policy scopes, most specific first (containers/image order)', () => {
    assert.deepEqual(dockerPolicyScopes(parseDockerReference('a.example.com:5000/ns/sub/repo:v1')), [
      'a.example.com:5000/ns/sub/repo:v1',
      'a.example.com:5000/ns/sub/repo',
      'a.example.com:5000/ns/sub',
      'a.example.com:5000/ns',
      'a.example.com:5000',
      '*.example.com',
      '*.com',
    ])
    assert.deepEqual(dockerPolicyScopes(parseDockerReference(`127.0.0.1:5000/coco/x@${D}`)).slice(0, 2), [
      `127.0.0.1:5000/coco/x@${D}`,
      '127.0.0.1:5000/coco/x',
    ])
  })

  test('Docker Hub is served by registry-1.docker.io', () => {
    assert.equal(registryEndpointHost('docker.io'), 'registry-1.docker.io')
    assert.equal(registryEndpointHost('127.0.0.1:5000'), '127.0.0.1:5000')
  })
})
