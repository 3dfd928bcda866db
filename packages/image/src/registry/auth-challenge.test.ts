import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseAuthChallenges } from './auth-challenge.ts'

test('parses Bearer and Basic challenges with quoted commas', () => {
  assert.deepEqual(
    parseAuthChallenges(
      'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
    ),
    [
      {
        scheme: 'bearer',
        params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' },
      },
    ],
  )
  assert.deepEqual(parseAuthChallenges('Basic realm="Registry Realm"'), [
    { scheme: 'basic', params: { realm: 'Registry Realm' } },
  ])
  assert.deepEqual(parseAuthChallenges(['Basic realm=x', 'Bearer realm="r\\"q"']), [
    { scheme: 'basic', params: { realm: 'x' } },
    { scheme: 'bearer', params: { realm: 'r"q' } },
  ])
  assert.deepEqual(parseAuthChallenges(undefined), [])
})
