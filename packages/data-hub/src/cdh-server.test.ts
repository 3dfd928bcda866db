import assert from 'node:assert/strict'
import { request } from 'node:http'
import { test } from 'node:test'
import { createSampleAttester } from '@carapace/attester'
import { CdhError } from './cdh-error.ts'
import { startCdhServer, type CdhServerOptions } from './cdh-server.ts'
import { FakeKbs } from './fake-kbs-test-support.ts'

/** A raw HTTP request: the path goes out exactly as written (fetch would normalize `..`). */
function raw(url: string, path: string, method = 'GET', body?: string) {
  return new Promise<{ status: number; type: string | undefined; body: string }>((resolve, reject) => {
    const req = request(`${url}${path}`, { method, path }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          body: Buffer.concat(chunks).toString(),
        })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

function options(kbs: FakeKbs, extra: Partial<CdhServerOptions> = {}): CdhServerOptions {
  return {
    kbsUrl: 'https://kbs.test',
    listen: '127.0.0.1:0',
    attester: createSampleAttester(),
    fetch: kbs.fetch,
    logger: () => undefined,
    ...extra,
  }
}

test('serves resources, tokens and evidence over loopback HTTP', async () => {
  const kbs = new FakeKbs({ resources: { 'default/key/1': 'the secret' } })
  const cdh = await startCdhServer(options(kbs))
  try {
    assert.match(cdh.url, /^http:\/\/127\.0\.0\.1:[0-9]+$/)
    const resource = await fetch(`${cdh.url}/cdh/resource/default/key/1`)
    assert.equal(resource.status, 200)
    assert.equal(resource.headers.get('content-type'), 'application/octet-stream')
    assert.match(
      resource.headers.get('x-request-id') ?? '',
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    )
    assert.equal(await resource.text(), 'the secret')
    const token = (await (await fetch(`${cdh.url}/aa/token?token_type=kbs`)).json()) as Record<string, string>
    assert.deepEqual(Object.keys(token), ['token', 'tee_keypair'])
    const evidence = await fetch(`${cdh.url}/aa/evidence?runtime_data=abc`)
    assert.equal(await evidence.text(), '{"svn":"1","report_data":"YWJj"}')
    assert.equal(kbs.attestCount, 1)
  } finally {
    await cdh.close()
  }
})

test('raw traversal paths are refused with 400 and never reach the KBS; errors are plain text', async () => {
  const kbs = new FakeKbs()
  const cdh = await startCdhServer(options(kbs))
  try {
    const traversal = await raw(cdh.url, '/cdh/resource/../../etc/passwd')
    assert.equal(traversal.status, 400)
    assert.equal(traversal.type, undefined)
    assert.deepEqual(await raw(cdh.url, '/cdh/resource/default/key/..'), {
      status: 400,
      type: undefined,
      body: `resource path "/default/key/.." is not /<repository>/<type>/<tag> of [A-Za-z0-9_.-], none starting with '.'`,
    })
    assert.deepEqual(await raw(cdh.url, '/nothing'), { status: 404, type: undefined, body: 'URL NOT FOUND' })
    assert.deepEqual(kbs.seen, [])
  } finally {
    await cdh.close()
  }
})

test('an /aa/aael body over 64 KiB is refused', async () => {
  const cdh = await startCdhServer(options(new FakeKbs()))
  try {
    const got = await raw(cdh.url, '/aa/aael', 'POST', 'x'.repeat(70 * 1024))
    assert.equal(got.status, 500)
    assert.match(got.body, /larger than 65536 bytes/)
  } finally {
    await cdh.close()
  }
})

test('a non-loopback listen address is refused unless explicitly allowed', async () => {
  const kbs = new FakeKbs()
  for (const listen of ['0.0.0.0:0', '[::]:0', '10.1.2.3:8006']) {
    await assert.rejects(
      startCdhServer(options(kbs, { listen })),
      (e: unknown) => e instanceof CdhError && e.code === 'NON_LOOPBACK_LISTEN',
      listen,
    )
  }
  const warnings: string[] = []
  const cdh = await startCdhServer(
    options(kbs, {
      listen: '0.0.0.0:0',
      insecureAllowNonLoopback: true,
      logger: (level, message) => {
        if (level === 'warn') warnings.push(message)
      },
    }),
  )
  try {
    assert.match(cdh.url, /^http:\/\/0\.0\.0\.0:[0-9]+$/)
    assert.ok(warnings.some((w) => w.startsWith('INSECURE')))
  } finally {
    await cdh.close()
  }
})

test('bad KBS URLs and listen addresses are INVALID_OPTION', async () => {
  const kbs = new FakeKbs()
  for (const extra of [{ kbsUrl: 'kbs.test:8080' }, { kbsUrl: 'ftp://kbs.test' }, { listen: '127.0.0.1' }]) {
    await assert.rejects(
      startCdhServer(options(kbs, extra)),
      (e: unknown) => e instanceof CdhError && e.code === 'INVALID_OPTION',
    )
  }
})

test('a port in use is reported by startCdhServer', async () => {
  const first = await startCdhServer(options(new FakeKbs()))
  try {
    const port = new URL(first.url).port
    await assert.rejects(startCdhServer(options(new FakeKbs(), { listen: `127.0.0.1:${port}` })), /EADDRINUSE/)
  } finally {
    await first.close()
  }
})
