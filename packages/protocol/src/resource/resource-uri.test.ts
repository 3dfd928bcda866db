import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertProtocolError } from '../assert-protocol-error.ts'
import { parseResourceUri, resourceUriPath, resourceUriToString, toKbsUrl } from './resource-uri.ts'

describe('parseResourceUri', () => {
  it('reads the upstream cases and re-serialises them unchanged', () => {
    const cases: [string, string, string, string | undefined][] = [
      ['kbs:///alice/cosign-key/213', '', 'resource', undefined],
      ['kbs:///repo/type/tag?param1=value1&param2=value2', '', 'resource', 'param1=value1&param2=value2'],
      ['kbs+pkcs11:///repo/type/tag', '', 'pkcs11', undefined],
      ['kbs+custom://example.com:8080/repo/type/tag', 'example.com:8080', 'custom', undefined],
    ]
    for (const [text, kbsAddress, plugin, query] of cases) {
      const uri = parseResourceUri(text)
      assert.equal(uri.kbsAddress, kbsAddress)
      assert.equal(uri.plugin, plugin)
      assert.equal(uri.query, query)
      assert.equal(resourceUriToString(uri), text)
    }
    assert.deepEqual(parseResourceUri('kbs:///alice/cosign-key/213'), {
      kbsAddress: '',
      plugin: 'resource',
      repository: 'alice',
      type: 'cosign-key',
      tag: '213',
      query: undefined,
    })
  })

  it('writes kbs:// for the resource plugin and keeps an empty query', () => {
    assert.equal(resourceUriToString(parseResourceUri('kbs+resource:///a/b/c')), 'kbs:///a/b/c')
    assert.equal(parseResourceUri('kbs:///a/b/c?').query, '')
    assert.equal(parseResourceUri('kbs:///a/b/c#frag').query, undefined)
    assert.equal(resourceUriPath(parseResourceUri('kbs://kbs.example/default/key/1')), 'default/key/1')
  })

  it('rejects other schemes, empty plugins and other path shapes', () => {
    const bad = [
      'http:///repo/type/tag',
      'kbs+:///repo/type/tag',
      'kbs:///a/b',
      'kbs:///a/b/c/d',
      'kbs:///a//c',
      'kbs:///a/b/c/',
      'kbs:',
      'default/key/1',
      '',
      'kbs:///kbs:///default/key/1',
    ]
    for (const text of bad) assertProtocolError(() => parseResourceUri(text), 'INVALID_RESOURCE_PATH', 'resource URI')
  })
})

describe('toKbsUrl', () => {
  it('joins the configured KBS URL, plugin, path and query', () => {
    const uri = parseResourceUri('kbs://ignored.example:1/default/key/1')
    assert.equal(toKbsUrl('http://127.0.0.1:8080/', uri), 'http://127.0.0.1:8080/kbs/v0/resource/default/key/1')
    assert.equal(
      toKbsUrl('https://kbs', parseResourceUri('kbs+pkcs11:///r/t/g?x=1')),
      'https://kbs/kbs/v0/pkcs11/r/t/g?x=1',
    )
  })
})
