import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createCachedCollateral } from './cached-collateral.ts'
import { CollateralError } from './collateral-error.ts'
import type { CollateralRequest, CollateralSource } from './collateral-source.ts'
import { fixture, realVendorRoutes, startFakeVendor, type FakeVendor } from './collateral-test-support.ts'
import { createHttpCollateral } from './http-collateral.ts'

const tcbInfo: CollateralRequest = { kind: 'intel-tcb-info', tee: 'sgx', fmspc: '00a067110000' }
const nextUpdate = new Date('2025-07-19T10:56:11Z')
const tmp = mkdtempSync(join(tmpdir(), 'carapace-cache-'))
let server: FakeVendor
let down = false
before(async () => {
  const routes = realVendorRoutes()
  const tcbRoute = routes['/sgx/certification/v4/tcb?fmspc=00a067110000']
  server = await startFakeVendor({
    ...routes,
    '/sgx/certification/v4/tcb?fmspc=00a067110000': (_req, res) => {
      if (down) res.writeHead(503).end()
      else setTimeout(() => res.writeHead(200, tcbRoute?.headers).end(tcbRoute?.body), 30)
    },
  })
})
after(async () => {
  await server.close()
  rmSync(tmp, { recursive: true, force: true })
})

function setup(name: string, clock: { t: Date }, onStale?: (key: string, reason: unknown) => void) {
  const dir = join(tmp, name)
  const http = createHttpCollateral({ intelPcsUrl: server.url, timeoutMs: 2000 })
  const make = (): CollateralSource =>
    createCachedCollateral(http, { dir, now: () => clock.t, ...(onStale === undefined ? {} : { onStale }) })
  return { dir, make }
}

function count(): number {
  return server.requests.filter((r) => r.startsWith('/sgx/certification/v4/tcb')).length
}

describe('cached collateral', () => {
  test('miss fetches and stores atomically; hits (in memory and on disk) fetch nothing until nextUpdate', async () => {
    const clock = { t: new Date('2025-07-19T10:00:00Z') }
    const { dir, make } = setup('hit', clock)
    const cache = make()
    const n = count()
    const first = await cache.get(tcbInfo)
    assert.deepEqual(first?.body, fixture('dcap-collateral/qvl-sgx/tcb-info.json'))
    assert.deepEqual(first.nextUpdate, nextUpdate)
    await cache.get(tcbInfo)
    const again = await make().get(tcbInfo) // a new process: from disk
    assert.equal(again?.issuerChain, first.issuerChain)
    assert.equal(count() - n, 1)
    assert.deepEqual(readdirSync(join(dir, 'intel/sgx/tcb')), ['00a067110000.json']) // no temporaries left
    clock.t = new Date(nextUpdate.getTime() + 1)
    await cache.get(tcbInfo)
    assert.equal(count() - n, 2) // expired: fetched again
  })

  test('single flight: concurrent gets of one key make one request', async () => {
    const { make } = setup('flight', { t: new Date('2025-07-19T10:00:00Z') })
    const cache = make()
    const n = count()
    const items = await Promise.all(Array.from({ length: 20 }, () => cache.get(tcbInfo)))
    assert.equal(count() - n, 1)
    assert.ok(items.every((i) => i === items[0]))
  })

  test('a failed refresh serves the expired copy and says so; with no copy the failure propagates', async () => {
    const clock = { t: new Date('2025-07-19T10:00:00Z') }
    const stale: string[] = []
    const { make } = setup('stale', clock, (key, reason) => {
      stale.push(`${key} ${reason instanceof CollateralError ? reason.code : '?'}`)
    })
    await make().get(tcbInfo)
    clock.t = new Date('2025-08-01T00:00:00Z')
    down = true
    try {
      const item = await make().get(tcbInfo)
      assert.deepEqual(item?.nextUpdate, nextUpdate)
      assert.deepEqual(stale, ['intel/sgx/tcb/00a067110000 HTTP_ERROR'])
      const empty = setup('stale-empty', clock).make()
      await assert.rejects(empty.get(tcbInfo), (e: unknown) => e instanceof CollateralError && e.code === 'HTTP_ERROR')
    } finally {
      down = false
    }
  })

  test('objects the source does not have are not cached', async () => {
    const { dir, make } = setup('absent', { t: new Date('2025-07-19T10:00:00Z') })
    assert.equal(await make().get({ kind: 'intel-tcb-info', tee: 'sgx', fmspc: '00606a000000' }), undefined)
    assert.throws(() => readdirSync(dir))
  })
})
