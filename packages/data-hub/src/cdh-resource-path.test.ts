import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CdhError } from './cdh-error.ts'
import { cdhResourcePath } from './cdh-resource-path.ts'

test('a /repo/type/tag suffix becomes the KBS resource path', () => {
  assert.equal(cdhResourcePath('/default/key/1'), 'default/key/1')
  assert.equal(cdhResourcePath('/my-repo/tls_cert/v1.2'), 'my-repo/tls_cert/v1.2')
})

test('traversal, leading dots, empty segments, encodings and wrong segment counts are refused', () => {
  for (const suffix of [
    '/../key/1',
    '/default/../1',
    '/default/key/..',
    '/.hidden/key/1',
    '/default/.key/1',
    '/default//1',
    '/default/key/',
    '/default/key',
    '/default/key/1/extra',
    '//default/key/1',
    '/%2e%2e/key/1',
    '/default/key/1%2F..',
    '/default/key/a b',
    'default/key/1',
    '',
  ]) {
    assert.throws(
      () => cdhResourcePath(suffix),
      (e: unknown) => e instanceof CdhError && e.code === 'INVALID_RESOURCE_PATH',
      suffix,
    )
  }
})
