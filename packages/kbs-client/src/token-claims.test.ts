import assert from 'node:assert/strict'
import { test } from 'node:test'
import { KbsClientError } from './kbs-client-error.ts'
import { isTokenUsable, readTokenTimes } from './token-claims.ts'

function jwt(payload: unknown): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'ES256' })}.${part(payload)}.c2ln`
}

test('reads exp and nbf without verifying the signature', () => {
  assert.deepEqual(readTokenTimes(jwt({ exp: 200, nbf: 100, sub: 'x' })), { exp: 200, nbf: 100 })
  assert.deepEqual(readTokenTimes(jwt({})), { exp: undefined, nbf: undefined })
})

test('usable only inside [nbf, exp); no exp means never reused', () => {
  const times = { exp: 200, nbf: 100 }
  assert.equal(isTokenUsable(times, 99_999), false)
  assert.equal(isTokenUsable(times, 100_000), true)
  assert.equal(isTokenUsable(times, 199_999), true)
  assert.equal(isTokenUsable(times, 200_000), false)
  assert.equal(isTokenUsable({ exp: undefined, nbf: undefined }, 0), false)
})

test('malformed tokens are PROTOCOL errors', () => {
  const isProtocol = (error: unknown) => error instanceof KbsClientError && error.code === 'PROTOCOL'
  assert.throws(() => readTokenTimes('not-a-jwt'), isProtocol)
  assert.throws(() => readTokenTimes('a.!!!.c'), isProtocol)
  assert.throws(() => readTokenTimes(`a.${Buffer.from('[1]').toString('base64url')}.c`), isProtocol)
  assert.throws(() => readTokenTimes(`a.${Buffer.from('{').toString('base64url')}.c`), isProtocol)
  assert.throws(() => readTokenTimes(jwt({ exp: '200' })), isProtocol)
})
