import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseKbsKeyId } from './kbs-key-id.ts'

describe('parseKbsKeyId', () => {
  test('every kid form CoCo accepts', () => {
    const resource = { repository: 'default', type: 'image-kek', tag: 'coco-test' }
    assert.deepEqual(parseKbsKeyId('kbs:///default/image-kek/coco-test'), { resource })
    assert.deepEqual(parseKbsKeyId('/default/image-kek/coco-test'), { resource })
    assert.deepEqual(parseKbsKeyId('kbs://10.0.0.1:8080/default/image-kek/coco-test'), {
      resource,
      address: '10.0.0.1:8080',
    })
    assert.deepEqual(parseKbsKeyId('kbs.example:8080/default/image-kek/coco-test'), {
      resource,
      address: 'kbs.example:8080',
    })
    assert.deepEqual(parseKbsKeyId('kbs+resource:///default/image-kek/coco-test'), { resource, plugin: 'resource' })
  })

  test('anything that could escape the resource path is rejected', () => {
    for (const kid of [
      'kbs:///default/../secret',
      'kbs:///default/image-kek/../../x',
      'kbs:///default/image-kek',
      'kbs:///default/image-kek/a/b',
      'kbs:///.hidden/a/b',
      '/default/image-kek/a%2F..',
      'default/image-kek/tag',
      'kid-123',
      'kbs://ho st/a/b/c',
      '',
    ]) {
      assert.throws(() => parseKbsKeyId(kid), { code: 'MALFORMED_ANNOTATION' }, kid)
    }
  })
})
