import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { CollateralError } from './collateral-error.ts'
import { fixture, fixtureText, makeFlatFolder } from './collateral-test-support.ts'
import { exportBundle, importCollateral } from './collateral-bundle.ts'
import { createCachedCollateral } from './cached-collateral.ts'
import { createDirectoryCollateral } from './directory-collateral.ts'
import { directoryRequests } from './directory-requests.ts'
import { collateralKey, NO_COLLATERAL } from './collateral-source.ts'
import { requestFromJson, requestToJson } from './collateral-request-json.ts'

const tmp = mkdtempSync(join(tmpdir(), 'carapace-flat-'))
after(() => {
  rmSync(tmp, { recursive: true, force: true })
})

const isCode = (code: string) => (e: unknown) => e instanceof CollateralError && e.code === code

describe('directory collateral (--collateral DIR)', () => {
  const flat = join(tmp, 'flat')
  test('serves each file for its request, with issuer chains and nextUpdate', async () => {
    mkdirSync(flat)
    makeFlatFolder(flat)
    const dir = createDirectoryCollateral(flat)
    const tcb = await dir.get({ kind: 'intel-tcb-info', tee: 'sgx', fmspc: '00A067110000' })
    assert.deepEqual(tcb?.body, fixture('dcap-collateral/qvl-sgx/tcb-info.json'))
    assert.equal(tcb.issuerChain, fixtureText('dcap-collateral/qvl-sgx/tcb-info-issuer-chain.pem'))
    assert.equal(tcb.nextUpdate?.toISOString(), '2025-07-19T10:56:11.000Z')
    // PEM CRLs are served as DER, as the vendors do
    assert.deepEqual(
      (await dir.get({ kind: 'intel-pck-crl', ca: 'processor' }))?.body,
      fixture('dcap/qvl-sgx-pck-crl.der'),
    )
    assert.ok((await dir.get({ kind: 'amd-cert-chain', product: 'Milan', signer: 'vcek' })) !== undefined)
    assert.ok((await dir.get({ kind: 'nvidia-root' })) !== undefined)
    assert.equal(await dir.get({ kind: 'amd-crl', product: 'Milan', signer: 'vcek' }), undefined) // absent: not there
  })

  test("another platform's object is MISMATCH, naming both", async () => {
    const dir = createDirectoryCollateral(flat)
    await assert.rejects(dir.get({ kind: 'intel-tcb-info', tee: 'sgx', fmspc: '00606a000000' }), (e: unknown) => {
      return isCode('MISMATCH')(e) && /00a067110000.*00606a000000/.test((e as Error).message)
    })
    await assert.rejects(dir.get({ kind: 'intel-qe-identity', tee: 'tdx' }), isCode('MISMATCH'))
    await assert.rejects(dir.get({ kind: 'intel-pck-crl', ca: 'platform' }), isCode('MISMATCH'))
    await assert.rejects(dir.get({ kind: 'amd-cert-chain', product: 'Genoa', signer: 'vcek' }), isCode('MISMATCH'))
    await assert.rejects(dir.get({ kind: 'amd-cert-chain', product: 'Milan', signer: 'vlek' }), isCode('MISMATCH'))
  })

  test('the requests a folder answers are read from its objects', async () => {
    const keys = (await directoryRequests(flat)).map(collateralKey)
    assert.deepEqual(keys, [
      'intel/sgx/tcb/00a067110000',
      'intel/sgx/qe-identity',
      'intel/pck-crl/processor',
      'intel/root-ca-crl',
      'nvidia/root',
      'amd/Milan/vcek/cert_chain',
      `amd/Milan/vcek/${keys.at(-1)?.split('/')[3] ?? ''}/bl4_tee0_snp24_ucode219`,
    ])
    const bad = join(tmp, 'bad')
    mkdirSync(bad)
    writeFileSync(join(bad, 'tcb-info.json'), '{"tcbInfo": 1}')
    await assert.rejects(directoryRequests(bad), isCode('MALFORMED'))
    await assert.rejects(
      createDirectoryCollateral(bad).get({ kind: 'intel-tcb-info', tee: 'sgx', fmspc: '00a067110000' }),
      isCode('MALFORMED'),
    )
  })

  test("vlek.der: the cloud provider's VLEK, by product; another product's or a non-VLEK is MISMATCH", async () => {
    const vlekDir = join(tmp, 'vlek')
    mkdirSync(vlekDir)
    writeFileSync(join(vlekDir, 'vlek.der'), fixture('snp/trustee-vlek.der'))
    const dir = createDirectoryCollateral(vlekDir)
    assert.deepEqual((await dir.get({ kind: 'amd-vlek', product: 'Milan' }))?.body, fixture('snp/trustee-vlek.der'))
    await assert.rejects(dir.get({ kind: 'amd-vlek', product: 'Genoa' }), (e: unknown) => {
      return isCode('MISMATCH')(e) && /SEV-VLEK-Milan.*Genoa/.test((e as Error).message)
    })
    assert.equal(
      await dir.get({
        kind: 'amd-vcek',
        product: 'Milan',
        hwid: new Uint8Array(64),
        tcb: { bootloader: 4, tee: 0, snp: 24, microcode: 217 },
      }),
      undefined,
    )
    const requests = await directoryRequests(vlekDir)
    assert.deepEqual(requests.map(collateralKey), ['amd/Milan/vlek/vlek'])
    assert.deepEqual(requestFromJson(requestToJson({ kind: 'amd-vlek', product: 'Turin' })), {
      kind: 'amd-vlek',
      product: 'Turin',
    })
    // import → export → import: the VLEK is filed under its key and served offline
    const cache = join(tmp, 'vlek-cache')
    const now = new Date('2025-06-01T00:00:00Z')
    assert.deepEqual(await importCollateral(vlekDir, cache, now), ['amd/Milan/vlek/vlek'])
    const bundle = join(tmp, 'vlek-bundle')
    await exportBundle(cache, bundle)
    const cacheB = join(tmp, 'vlek-cache-b')
    assert.deepEqual(await importCollateral(bundle, cacheB, now), ['amd/Milan/vlek/vlek'])
    const offline = createCachedCollateral(NO_COLLATERAL, { dir: cacheB, now: () => now })
    assert.deepEqual((await offline.get({ kind: 'amd-vlek', product: 'Milan' }))?.body, fixture('snp/trustee-vlek.der'))

    const notVlek = join(tmp, 'not-vlek')
    mkdirSync(notVlek)
    writeFileSync(join(notVlek, 'vlek.der'), fixture('snp/oak-milan-oc-vcek.der'))
    await assert.rejects(
      createDirectoryCollateral(notVlek).get({ kind: 'amd-vlek', product: 'Milan' }),
      isCode('MISMATCH'),
    )
  })
})
