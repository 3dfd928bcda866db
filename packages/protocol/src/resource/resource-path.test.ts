import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertProtocolError } from '../assert-protocol-error.ts'
import { parseResourcePath, resourcePathFromSegments, resourcePathToString } from './resource-path.ts'

describe('parseResourcePath', () => {
  it('splits valid paths', () => {
    assert.deepEqual(parseResourcePath('default/key/1'), { repository: 'default', type: 'key', tag: '1' })
    assert.deepEqual(parseResourcePath('my_repo/a.b-c/v1.0'), { repository: 'my_repo', type: 'a.b-c', tag: 'v1.0' })
    assert.deepEqual(parseResourcePath('-/_/a..'), { repository: '-', type: '_', tag: 'a..' })
    assert.equal(resourcePathToString(resourcePathFromSegments(['a', 'b', 'c'])), 'a/b/c')
  })

  it('rejects everything else with INVALID_RESOURCE_PATH', () => {
    const bad = [
      '',
      'a/b',
      'a/b/c/d',
      '/a/b/c',
      'a/b/c/',
      'a//c',
      '.a/b/c',
      'a/../c',
      'a/b/.c',
      'a/b/c d',
      'a/b/c?x=1',
      'a/b/é',
      'a\\b/c/d',
      'a/b/c\n',
    ]
    for (const text of bad) assertProtocolError(() => parseResourcePath(text), 'INVALID_RESOURCE_PATH', 'resource path')
    assertProtocolError(() => resourcePathFromSegments(['a', 'b']), 'INVALID_RESOURCE_PATH', 'resource path')
  })
})
