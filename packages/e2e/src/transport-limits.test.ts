import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { upstreamErrorType } from './support/kbs-wire.ts'
import { rawHandshake } from './support/sample-guest.ts'
import { snapshotStorage, storageChanges } from './support/storage-snapshot.ts'
import { makeTempDataDir } from './support/temp-data-dir.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

describe('the KBS over a real socket: oversized and malformed requests', () => {
  let plane: TrustPlane
  before(async () => {
    plane = await startTrustPlane()
  })
  after(() => plane.close())

  it('answers 413 with the KBS body for a body over 2 MiB, writes nothing and keeps serving', async () => {
    const token = await plane.adminToken()
    const before = await snapshotStorage(plane.storageDir)
    const big = new Uint8Array(2 * 1024 * 1024 + 1).fill(0x61)
    for (const path of ['/kbs/v0/auth', '/kbs/v0/attest', '/kbs/v0/resource/default/key/big']) {
      const response = await plane.wire.request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: big,
      })
      assert.equal(response.status, 413, path)
      assert.equal((response.json as { type?: unknown }).type, upstreamErrorType('HTTPFailed'), path)
      // The body was not read, so the connection is closed rather than reused for the next request.
      assert.equal(response.headers.get('connection'), 'close', path)
      assert.equal((await plane.wire.request('/healthz')).status, 200, path)
    }
    assert.deepEqual(storageChanges(before, await snapshotStorage(plane.storageDir)), [])
    const { token: attestationToken } = await rawHandshake(plane.wire)
    assert.equal(attestationToken.split('.').length, 3)
  })

  it('accepts a resource of exactly 2 MiB', async () => {
    const exact = new Uint8Array(2 * 1024 * 1024).fill(0x62)
    await plane.admin(await plane.adminToken()).setResource('default/key/exact', exact)
  })

  it('answers malformed JSON with the upstream error and keeps serving', async () => {
    const auth = await plane.wire.postJson('/kbs/v0/auth', '{"version":')
    assert.equal(auth.status, 401)
    assert.equal((auth.json as { type?: unknown }).type, upstreamErrorType('AttestationError'))
    const unknownPlugin = await plane.wire.request('/kbs/v0/no-such-plugin/x')
    assert.equal(unknownPlugin.status, 404)
    assert.equal((unknownPlugin.json as { type?: unknown }).type, upstreamErrorType('PluginNotFound'))
    assert.equal((await plane.wire.request('/healthz')).status, 200)
  })
})

/**
 * Run in a child process: there the server is all that keeps the event loop alive, so a close()
 * left waiting on a connection nobody will finish never settles (exit 13, "unsettled top-level
 * await"). The oversized request is answered before its body is read.
 */
const OVERSIZED_REQUEST_THEN_CLOSE = `
import { request } from 'node:https'
import { startKbsServer } from '@carapace/kbs'
const kbs = await startKbsServer({ dataDir: process.argv[1], listen: '127.0.0.1:0', logger: { log() {} } })
const status = await new Promise((resolve, reject) => {
  const req = request(kbs.url + '/kbs/v0/auth', { method: 'POST', ca: kbs.certificatePem }, (res) => {
    res.resume()
    res.on('end', () => resolve(res.statusCode))
  })
  req.on('error', reject)
  req.end(Buffer.alloc(3 * 1024 * 1024, 0x61))
})
await kbs.close()
process.stdout.write('closed after ' + String(status))
`

describe('stopping the KBS', () => {
  it('settles close() after answering an oversized request', async () => {
    const dataDir = await makeTempDataDir()
    try {
      const child = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', OVERSIZED_REQUEST_THEN_CLOSE, dataDir.path],
        {
          cwd: fileURLToPath(new URL('..', import.meta.url)),
          encoding: 'utf8',
          timeout: 30_000,
        },
      )
      assert.equal(child.status, 0, child.stderr)
      assert.equal(child.stdout, 'closed after 413')
    } finally {
      await dataDir.remove()
    }
  })
})
