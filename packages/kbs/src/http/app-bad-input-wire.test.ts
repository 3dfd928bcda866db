import assert from 'node:assert/strict'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, it } from 'node:test'
import { getRequestListener } from '@hono/node-server'
import { kbsFixture, upstreamError } from './app-test-fixture.ts'

/** One raw HTTP/1.1 request: the path goes out exactly as written (no client-side normalisation). */
function send(
  port: number,
  path: string,
  method: string,
  headers: Record<string, string>,
  chunks: readonly Uint8Array[],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        body += chunk
      })
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body })
      })
    })
    req.on('error', reject)
    for (const chunk of chunks) req.write(chunk)
    req.end()
  })
}

describe('bad input on the wire (node HTTP server)', () => {
  it('literal dot segments, encoded slashes and a chunked 3 MiB body are refused; storage unchanged', async () => {
    const kbs = await kbsFixture()
    const handle = getRequestListener(kbs.app.fetch)
    const server: Server = createServer((req, res) => {
      void handle(req, res)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    try {
      const admin = { authorization: `Bearer ${await kbs.adminToken({ role: 'admin' })}` }
      const before = await kbs.snapshot()
      for (const path of [
        '/kbs/v0/resource/default/../key/one',
        '/kbs/v0/resource/default/key/..',
        '/kbs/v0/resource/./key/one',
        '/kbs/v0/resource/default/key/.one',
        '/kbs/v0/resource/default%2Fkey/one',
        '/kbs/v0/resource/default/key/%2e%2e',
      ]) {
        const answer = await send(port, path, 'POST', admin, [Buffer.from('secret')])
        assert.equal(answer.status, 401, path)
        assert.equal(
          (JSON.parse(answer.body) as { type: string }).type,
          upstreamError('PluginInternalError').type,
          path,
        )
      }
      const chunk = new Uint8Array(256 * 1024).fill(0x61)
      const oversized = await send(port, '/kbs/v0/resource/default/key/one', 'POST', admin, Array(12).fill(chunk))
      assert.equal(oversized.status, 413)
      assert.deepEqual(JSON.parse(oversized.body), upstreamError('HTTPFailed', 'request body exceeds 2097152 bytes'))
      assert.equal(await kbs.snapshot(), before)
      // Announced too large: refused from the header alone (request-body-limit.ts).
      const announced = await send(
        port,
        '/kbs/v0/resource/default/key/one',
        'POST',
        { ...admin, 'content-length': String(2 * 1024 * 1024 + 1) },
        [new Uint8Array(1024)],
      )
      assert.equal(announced.status, 413)
      assert.deepEqual(JSON.parse(announced.body), upstreamError('HTTPFailed', 'request body exceeds 2097152 bytes'))
      assert.equal(await kbs.snapshot(), before)
      const good = await send(port, '/kbs/v0/resource/default/key/one', 'POST', admin, [Buffer.from('secret')])
      assert.equal(good.status, 200)
      const sized = await send(port, '/kbs/v0/resource/default/key/two', 'POST', { ...admin, 'content-length': '6' }, [
        Buffer.from('secret'),
      ])
      assert.equal(sized.status, 200)
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve()
        })
      })
    }
  })
})
