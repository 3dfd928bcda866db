import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { createNodeFetch } from './node-fetch.ts'

async function withServer(
  handler: (req: IncomingMessage, body: string, res: ServerResponse) => void,
  run: (base: string) => Promise<void>,
): Promise<void> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      handler(req, Buffer.concat(chunks).toString('utf8'), res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await run(`http://127.0.0.1:${String((server.address() as AddressInfo).port)}`)
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

test('sends method, headers and body; returns status, every set-cookie and the body', async () => {
  await withServer(
    (req, body, res) => {
      res.setHeader('set-cookie', ['a=1; Path=/', 'b=2; Path=/'])
      res.setHeader('content-type', 'application/json')
      res.statusCode = 201
      res.end(JSON.stringify({ method: req.method, type: req.headers['content-type'], body }))
    },
    async (base) => {
      const fetch = createNodeFetch()
      const response = await fetch(`${base}/x`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'héllo',
      })
      assert.equal(response.status, 201)
      assert.deepEqual(response.headers.getSetCookie(), ['a=1; Path=/', 'b=2; Path=/'])
      assert.deepEqual(await response.json(), { method: 'POST', type: 'text/plain', body: 'héllo' })
    },
  )
})

test('a 204 answer has a null body', async () => {
  await withServer(
    (_req, _body, res) => {
      res.statusCode = 204
      res.end()
    },
    async (base) => {
      const response = await createNodeFetch()(base, { method: 'DELETE' })
      assert.equal(response.status, 204)
      assert.equal(response.body, null)
    },
  )
})

test('rejects other URL schemes and unreachable servers', async () => {
  const fetch = createNodeFetch({ timeoutMs: 2000 })
  await assert.rejects(fetch('ftp://127.0.0.1/'), /unsupported URL scheme/)
  await assert.rejects(fetch('http://127.0.0.1:1/'), /ECONNREFUSED/)
})

test('a server that does not answer in time is an error', async () => {
  await withServer(
    () => {
      // never answers
    },
    async (base) => {
      await assert.rejects(createNodeFetch({ timeoutMs: 100 })(base), /no response within 100 ms/)
    },
  )
})
