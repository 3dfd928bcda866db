import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createJsonLinesLogger } from './json-lines-logger.ts'
import { parseListenAddress, urlOf } from './listen-address.ts'

test('listen addresses: IPv4, bracketed IPv6 and host names; bad ones name the flag', () => {
  assert.deepEqual(parseListenAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 })
  assert.deepEqual(parseListenAddress('[::1]:8080'), { host: '::1', port: 8080 })
  assert.deepEqual(parseListenAddress('localhost:8443'), { host: 'localhost', port: 8443 })
  for (const bad of ['8080', '::1:8080', '127.0.0.1:65536', '127.0.0.1:', 'a b:1']) {
    assert.throws(() => parseListenAddress(bad, 'http_server.sockets'), {
      code: 'INVALID_ARGUMENT',
      message: /^http_server\.sockets: expected HOST:PORT/,
    })
  }
})

test('URLs of bound addresses: wildcards are reached over loopback, IPv6 in brackets', () => {
  assert.equal(urlOf('https', '0.0.0.0', 8080), 'https://127.0.0.1:8080')
  assert.equal(urlOf('https', '::', 8080), 'https://[::1]:8080')
  assert.equal(urlOf('http', '10.0.0.5', 80), 'http://10.0.0.5:80')
})

test('the JSON-lines logger writes one parseable object per line', () => {
  const lines: string[] = []
  const logger = createJsonLinesLogger(
    (line) => lines.push(line),
    () => new Date('2026-12-01T00:00:00Z'),
  )
  logger.log('warn', 'request failed', { requestId: 'r1', status: 401 })
  assert.deepEqual(lines, [
    '{"time":"2026-12-01T00:00:00.000Z","level":"warn","msg":"request failed","requestId":"r1","status":401}\n',
  ])
})
