import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { createCachedCollateral } from './cached-collateral.ts'
import { exportBundle, importCollateral } from './collateral-bundle.ts'
import { CollateralError } from './collateral-error.ts'
import { NO_COLLATERAL, type CollateralRequest } from './collateral-source.ts'
import { fixture, makeFlatFolder } from './collateral-test-support.ts'
import { createDirectoryCollateral } from './directory-collateral.ts'
import { directoryRequests } from './directory-requests.ts'

const tmp = mkdtempSync(join(tmpdir(), 'carapace-bundle-'))
after(() => {
  rmSync(tmp, { recursive: true, force: true })
})
const now = new Date('2025-07-19T10:00:00Z')
const isCode = (code: string) => (e: unknown) => e instanceof CollateralError && e.code === code

describe('offline bundle', () => {
  const flat = join(tmp, 'flat')
  mkdirSync(flat)
  makeFlatFolder(flat)

  test('flat folder → import → export → import elsewhere: the same objects, served offline', async () => {
    const cacheA = join(tmp, 'cache-a')
    const imported = await importCollateral(flat, cacheA, now)
    assert.equal(imported.length, 7)
    const bundle = join(tmp, 'bundle')
    assert.deepEqual(await exportBundle(cacheA, bundle), [...imported].sort())
    const index = JSON.parse(readFileSync(join(bundle, 'index.json'), 'utf8')) as { format: string }
    assert.equal(index.format, 'carapace-collateral-bundle/1')
    const cacheB = join(tmp, 'cache-b')
    assert.deepEqual((await importCollateral(bundle, cacheB, now)).sort(), [...imported].sort())
    // air-gapped: the cache answers without any source behind it
    const offline = createCachedCollateral(NO_COLLATERAL, { dir: cacheB, now: () => now })
    const direct = createDirectoryCollateral(flat)
    for (const request of await directoryRequests(flat)) {
      assert.deepEqual(await offline.get(request), await direct.get(request), request.kind)
    }
    const tcb: CollateralRequest = { kind: 'intel-tcb-info', tee: 'sgx', fmspc: '00a067110000' }
    assert.deepEqual((await offline.get(tcb))?.body, fixture('dcap-collateral/qvl-sgx/tcb-info.json'))
  })

  test('an entry under another key, a bad index or a tampered object is refused before anything is written', async () => {
    const bundle = join(tmp, 'bundle')
    const tcbPath = join(bundle, 'intel/sgx/tcb/00a067110000.json')
    const original = readFileSync(tcbPath, 'utf8')
    // the entry claims another FMSPC than its file name
    writeFileSync(tcbPath, original.replace('"fmspc":"00a067110000"', '"fmspc":"00606a000000"'))
    await assert.rejects(importCollateral(bundle, join(tmp, 'cache-c'), now), isCode('MALFORMED'))
    assert.throws(() => readFileSync(join(tmp, 'cache-c/intel/root-ca-crl.json')))
    writeFileSync(tcbPath, original)
    const index = readFileSync(join(bundle, 'index.json'), 'utf8')
    writeFileSync(join(bundle, 'index.json'), index.replace('"kind": "intel-root-ca-crl"', '"kind": "../../etc"'))
    await assert.rejects(importCollateral(bundle, join(tmp, 'cache-c'), now), isCode('MALFORMED'))
    writeFileSync(join(bundle, 'index.json'), '{"format":"zip"}')
    await assert.rejects(importCollateral(bundle, join(tmp, 'cache-c'), now), isCode('MALFORMED'))
  })
})
