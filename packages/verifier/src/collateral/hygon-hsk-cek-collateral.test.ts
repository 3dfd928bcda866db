import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createCachedCollateral } from './cached-collateral.ts'
import { exportBundle, importCollateral } from './collateral-bundle.ts'
import { CollateralError } from './collateral-error.ts'
import { requestFromJson, requestToJson } from './collateral-request-json.ts'
import { collateralKey, NO_COLLATERAL, type CollateralRequest } from './collateral-source.ts'
import { fixture, startFakeVendor, type FakeVendor } from './collateral-test-support.ts'
import { createDirectoryCollateral } from './directory-collateral.ts'
import { directoryRequests } from './directory-requests.ts'
import { createHttpCollateral } from './http-collateral.ts'

const hskCek = fixture('csv/synthetic/hsk_cek.cert')
const chip = 'SYN0000000001'
const request: CollateralRequest = { kind: 'hygon-hsk-cek', chipId: chip }
const tmp = mkdtempSync(join(tmpdir(), 'carapace-hygon-'))
const now = new Date('2026-01-01T00:00:00Z')
const isCode = (code: string) => (e: unknown) => e instanceof CollateralError && e.code === code

let kds: FakeVendor
before(async () => {
  kds = await startFakeVendor({
    [`/hsk_cek?snumber=${chip}`]: { body: hskCek },
    '/hsk_cek?snumber=SHORT': { body: hskCek.subarray(0, 100) },
  })
})
after(async () => {
  await kds.close()
  rmSync(tmp, { recursive: true, force: true })
})

describe('hygon-hsk-cek collateral', () => {
  test('key and JSON form; chip ids that could leave a path or URL are refused', () => {
    assert.equal(collateralKey(request), `hygon/hsk_cek/${chip}`)
    assert.deepEqual(requestFromJson(requestToJson(request)), request)
    for (const chipId of ['../etc', 'a/b', '', 'x'.repeat(65), 'A B']) {
      assert.throws(() => requestFromJson({ kind: 'hygon-hsk-cek', chipId }), isCode('MALFORMED'))
    }
  })

  test('HTTP: Hygon KDS /hsk_cek?snumber=<chip> from a local fake; 404 is absent, a short body MALFORMED', async () => {
    const source = createHttpCollateral({ hygonKdsUrl: kds.url })
    const item = await source.get(request)
    assert.ok(item !== undefined)
    assert.deepEqual(item.body, hskCek)
    assert.equal(item.nextUpdate, undefined)
    assert.equal(await source.get({ kind: 'hygon-hsk-cek', chipId: 'UNKNOWN' }), undefined)
    await assert.rejects(source.get({ kind: 'hygon-hsk-cek', chipId: 'SHORT' }), isCode('MALFORMED'))
    assert.ok(kds.requests.includes(`/hsk_cek?snumber=${chip}`))
  })

  test('folder: hsk_cek/<chip>/hsk_cek.cert (Hygon layout) before a flat hsk_cek.cert', async () => {
    const dir = join(tmp, 'folder')
    mkdirSync(join(dir, 'hsk_cek', chip), { recursive: true })
    copyFileSync(
      new URL('../../fixtures/csv/synthetic/hsk_cek.cert', import.meta.url),
      join(dir, 'hsk_cek', chip, 'hsk_cek.cert'),
    )
    writeFileSync(join(dir, 'hsk_cek.cert'), hskCek.subarray(0, 10))
    const source = createDirectoryCollateral(dir)
    assert.deepEqual((await source.get(request))?.body, hskCek)
    // another chip falls back to the flat file, which here is too short
    await assert.rejects(source.get({ kind: 'hygon-hsk-cek', chipId: 'OTHER' }), isCode('MALFORMED'))
    assert.deepEqual(await directoryRequests(dir), [request])
  })

  test('a flat hsk_cek.cert answers any chip (the chain check tells whether it fits)', async () => {
    const dir = join(tmp, 'flat')
    mkdirSync(dir)
    writeFileSync(join(dir, 'hsk_cek.cert'), hskCek)
    assert.deepEqual((await createDirectoryCollateral(dir).get({ kind: 'hygon-hsk-cek', chipId: 'ANY' }))?.body, hskCek)
    assert.deepEqual(await directoryRequests(dir), [])
  })

  test('cache, export and import of a bundle serve it offline', async () => {
    const cacheA = join(tmp, 'cache-a')
    const online = createCachedCollateral(createHttpCollateral({ hygonKdsUrl: kds.url }), {
      dir: cacheA,
      now: () => now,
    })
    assert.deepEqual((await online.get(request))?.body, hskCek)
    const bundle = join(tmp, 'bundle')
    assert.deepEqual(await exportBundle(cacheA, bundle), [collateralKey(request)])
    const cacheB = join(tmp, 'cache-b')
    assert.deepEqual(await importCollateral(bundle, cacheB, now), [collateralKey(request)])
    const offline = createCachedCollateral(NO_COLLATERAL, { dir: cacheB, now: () => now })
    assert.deepEqual((await offline.get(request))?.body, hskCek)
  })
})
