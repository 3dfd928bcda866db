import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CdhError } from './cdh-error.ts'
import { httpUrl, isLoopbackAddress, parseListenAddress } from './listen-address.ts'

test('HOST:PORT with IPv4, [IPv6] or localhost', () => {
  assert.deepEqual(parseListenAddress('127.0.0.1:8006'), { host: '127.0.0.1', port: 8006 })
  assert.deepEqual(parseListenAddress('[::1]:0'), { host: '::1', port: 0 })
  assert.deepEqual(parseListenAddress('localhost:65535'), { host: 'localhost', port: 65535 })
  assert.deepEqual(parseListenAddress('0.0.0.0:80'), { host: '0.0.0.0', port: 80 })
})

test('anything else is an INVALID_OPTION naming the text', () => {
  for (const bad of [
    '127.0.0.1',
    ':8006',
    '127.0.0.1:65536',
    '::1:8006',
    'kbs.example:8006',
    '[127.0.0.1]:1',
    '1.2.3:4',
    '',
  ]) {
    assert.throws(
      () => parseListenAddress(bad),
      (e: unknown) => e instanceof CdhError && e.code === 'INVALID_OPTION' && e.message.includes(JSON.stringify(bad)),
      bad,
    )
  }
})

test('loopback: 127.0.0.0/8, ::1, IPv4-mapped 127.x and localhost', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', 'localhost'])
    assert.equal(isLoopbackAddress(a), true, a)
  for (const a of ['0.0.0.0', '10.0.0.1', '::', '::ffff:10.0.0.1', '128.0.0.1', ''])
    assert.equal(isLoopbackAddress(a), false, a)
})

test('URLs bracket IPv6 hosts', () => {
  assert.equal(httpUrl('127.0.0.1', 8006), 'http://127.0.0.1:8006')
  assert.equal(httpUrl('::1', 1), 'http://[::1]:1')
})
