import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createMemoryStorage } from '@carapace/storage'
import { createKbsApp } from './app.ts'

describe('request logging', () => {
  it('every log line of a request carries its request id', async () => {
    const lines: { level: string; message: string; fields: Readonly<Record<string, string | number>> }[] = []
    const app = createKbsApp({
      storage: createMemoryStorage(),
      admin: { authorize: () => Promise.resolve() },
      tokenVerifier: { verify: () => Promise.resolve({}) },
      logger: { log: (level, message, fields) => lines.push({ level, message, fields }) },
    })
    const response = await app.request('/kbs/v0/auth', {
      method: 'POST',
      body: '{}',
      headers: { 'x-request-id': 'abc-123' },
    })
    assert.equal(response.status, 404)
    assert.deepEqual(
      lines.map((line) => [line.level, line.message, line.fields['requestId']]),
      [
        ['warn', 'request failed', 'abc-123'],
        ['warn', 'request', 'abc-123'],
      ],
    )
    const bad = await app.request('/healthz', { headers: { 'x-request-id': 'no spaces allowed' } })
    assert.notEqual(bad.headers.get('x-request-id'), 'no spaces allowed')
  })
})
