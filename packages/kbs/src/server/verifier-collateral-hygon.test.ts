import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { capturingLogger, tempDir } from './server-test-support.ts'
import { verifierCollateral } from './verifier-collateral.ts'

const fixtures = new URL('../../../verifier/fixtures/', import.meta.url)
const hskCekPath = new URL('csv/synthetic/hsk_cek.cert', fixtures)
const hskCek = new Uint8Array(readFileSync(hskCekPath))
const temp = tempDir('carapace-collateral-hygon-')
after(() => {
  temp.remove()
})

/** A fake Hygon KDS at cert.hygon.cn answering one chip. */
function fakeKds(): typeof globalThis.fetch & { urls: string[] } {
  const urls: string[] = []
  const doFetch = (input: string | URL | Request): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    urls.push(url.href)
    if (url.href === 'https://cert.hygon.cn/hsk_cek?snumber=KDS0000000001') return Promise.resolve(new Response(hskCek))
    return Promise.resolve(new Response(null, { status: 404 }))
  }
  return Object.assign(doFetch, { urls })
}

describe('kbs serve: Hygon HSK/CEK collateral (as upstream: local store, then Hygon KDS)', () => {
  const store = join(temp.dir, 'opt-hygon-csv')
  mkdirSync(join(store, 'hsk_cek', 'STORE00000001'), { recursive: true })
  copyFileSync(hskCekPath, join(store, 'hsk_cek', 'STORE00000001', 'hsk_cek.cert'))

  it('the store first, then the KDS behind the cache; other kinds never reach either', async () => {
    const kds = fakeKds()
    const { source, sources } = await verifierCollateral(
      {},
      { dataDir: join(temp.dir, 'data'), fetch: kds, logger: capturingLogger(), hygonCertDir: store },
    )
    assert.ok(sources.some((s) => s.includes('Hygon KDS')))
    assert.deepEqual((await source.get({ kind: 'hygon-hsk-cek', chipId: 'STORE00000001' }))?.body, hskCek)
    assert.deepEqual(kds.urls, [])
    assert.deepEqual((await source.get({ kind: 'hygon-hsk-cek', chipId: 'KDS0000000001' }))?.body, hskCek)
    assert.equal(await source.get({ kind: 'hygon-hsk-cek', chipId: 'UNKNOWN' }), undefined)
    assert.deepEqual(kds.urls, [
      'https://cert.hygon.cn/hsk_cek?snumber=KDS0000000001',
      'https://cert.hygon.cn/hsk_cek?snumber=UNKNOWN',
    ])
  })

  it('with --collateral (air-gapped) the store is still read but Hygon KDS is not asked', async () => {
    const kds = fakeKds()
    const folder = join(temp.dir, 'folder')
    mkdirSync(folder)
    const { source } = await verifierCollateral(
      {},
      {
        dataDir: join(temp.dir, 'data2'),
        fetch: kds,
        logger: capturingLogger(),
        hygonCertDir: store,
        collateralDir: folder,
      },
    )
    assert.deepEqual((await source.get({ kind: 'hygon-hsk-cek', chipId: 'STORE00000001' }))?.body, hskCek)
    assert.equal(await source.get({ kind: 'hygon-hsk-cek', chipId: 'KDS0000000001' }), undefined)
    assert.deepEqual(kds.urls, [])
  })
})
