import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { parseCrl } from '../pkix/crl.ts'
import { vekExtensions } from '../snp/vek-extensions.ts'
import { CollateralError } from './collateral-error.ts'
import type { CollateralRequest } from './collateral-source.ts'
import { fixture, fixtureText, realVendorRoutes, startFakeVendor, type FakeVendor } from './collateral-test-support.ts'
import { createHttpCollateral, retryAfterMs, type HttpCollateralOptions } from './http-collateral.ts'

const vcek = fixture('snp/oak-milan-oc-vcek.der')
const ext = vekExtensions(vcek)
const hwid = ext.hwid ?? new Uint8Array()
const vcekRequest: CollateralRequest = {
  kind: 'amd-vcek',
  product: 'Milan',
  hwid,
  tcb: { bootloader: 4, tee: 0, snp: 24, microcode: 219 },
}
const vcekPath = `/vcek/v1/Milan/${Buffer.from(hwid).toString('hex')}?blSPL=4&teeSPL=0&snpSPL=24&ucodeSPL=219`
const tcbInfo: CollateralRequest = { kind: 'intel-tcb-info', tee: 'sgx', fmspc: '00a067110000' }

let statusOnce = 0
let tooMany = 0
let retryAfter: string | undefined
let server: FakeVendor
before(async () => {
  server = await startFakeVendor({
    ...realVendorRoutes(),
    [vcekPath]: { body: vcek },
    '/vcek/v1/Turin/0102030405060708?blSPL=1&teeSPL=0&snpSPL=2&ucodeSPL=71&fmcSPL=0': { body: vcek },
    '/sgx/certification/v4/pckcrl?ca=platform&encoding=der': (_req, res) => {
      if (tooMany > 0) {
        tooMany--
        res.writeHead(429, retryAfter === undefined ? {} : { 'Retry-After': retryAfter }).end()
        return
      }
      res.writeHead(statusOnce || 200).end(fixture('dcap-collateral/qvl-tdx/root-ca-crl.der'))
    },
    '/tdx/certification/v4/qe/identity': () => {
      // never answers: the timeout must fire
    },
    '/tdx/certification/v4/tcb?fmspc=00a067110000': { body: fixture('dcap-collateral/qvl-sgx/tcb-info.json') },
  })
})
after(() => server.close())

function source(extra: Partial<HttpCollateralOptions> = {}) {
  const sleeps: number[] = []
  const s = createHttpCollateral({
    amdKdsUrl: server.url,
    intelPcsUrl: `${server.url}/`,
    intelRootCaCrlUrl: `${server.url}/IntelSGXRootCA.der`,
    sleep: (ms) => {
      sleeps.push(ms)
      return Promise.resolve()
    },
    ...extra,
  })
  return { s, sleeps }
}

async function rejectsCode(p: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof CollateralError && e.code === code)
}

describe('http collateral (fake KDS/PCS on 127.0.0.1 serving real files)', () => {
  test('AMD KDS: VCEK at the reported TCB, Turin with fmcSPL, certificate chains', async () => {
    const { s } = source()
    assert.deepEqual((await s.get(vcekRequest))?.body, vcek)
    assert.equal(server.requests.at(-1), vcekPath)
    const turin = await s.get({
      kind: 'amd-vcek',
      product: 'Turin',
      hwid: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]),
      tcb: { bootloader: 1, tee: 0, snp: 2, microcode: 71, fmc: 0 },
    })
    assert.ok(turin !== undefined)
    const chain = await s.get({ kind: 'amd-cert-chain', product: 'Milan', signer: 'vlek' })
    assert.match(Buffer.from(chain?.body ?? []).toString(), /BEGIN CERTIFICATE/)
    assert.equal(chain?.nextUpdate, undefined)
    // KDS serves VLEKs only to the cloud providers: not asked, not there
    const asked = server.requests.length
    assert.equal(await s.get({ kind: 'amd-vlek', product: 'Milan' }), undefined)
    assert.equal(server.requests.length, asked)
  })

  test('Intel PCS: TCB Info with its URL-decoded issuer chain and nextUpdate; QE Identity; CRLs', async () => {
    const { s } = source()
    const item = await s.get(tcbInfo)
    assert.deepEqual(item?.body, fixture('dcap-collateral/qvl-sgx/tcb-info.json'))
    assert.equal(item.issuerChain, fixtureText('dcap-collateral/qvl-sgx/tcb-info-issuer-chain.pem'))
    assert.equal(item.nextUpdate?.toISOString(), '2025-07-19T10:56:11.000Z')
    const qe = await s.get({ kind: 'intel-qe-identity', tee: 'sgx' })
    assert.equal(qe?.issuerChain, fixtureText('dcap-collateral/qvl-sgx/qe-identity-issuer-chain.pem'))
    const crl = await s.get({ kind: 'intel-pck-crl', ca: 'processor' })
    assert.deepEqual(crl?.nextUpdate, parseCrl(fixture('dcap/qvl-sgx-pck-crl.der')).nextUpdate)
    const root = await s.get({ kind: 'intel-root-ca-crl' })
    assert.equal(root?.nextUpdate?.toISOString(), '2026-04-03T11:21:57.000Z')
    assert.equal(await s.get({ kind: 'nvidia-root' }), undefined)
  })

  test('404 is "not there"; another platform\'s object is MISMATCH', async () => {
    const { s } = source()
    assert.equal(await s.get({ kind: 'intel-tcb-info', tee: 'sgx', fmspc: '00606a000000' }), undefined)
    await rejectsCode(s.get({ kind: 'intel-tcb-info', tee: 'tdx', fmspc: '00a067110000' }), 'MISMATCH')
    // the platform route serves the root CA CRL: not the platform CA's CRL, but nothing says processor either
    assert.ok((await s.get({ kind: 'intel-pck-crl', ca: 'platform' })) !== undefined)
  })

  test('HTTP 429: waits Retry-After (seconds or date), else 10 s, a bounded number of times', async () => {
    const { s, sleeps } = source({ now: () => new Date('2025-01-01T00:00:00Z') })
    const platform: CollateralRequest = { kind: 'intel-pck-crl', ca: 'platform' }
    tooMany = 2
    retryAfter = '7'
    const before = server.requests.length
    assert.ok((await s.get(platform)) !== undefined)
    assert.equal(server.requests.length - before, 3)
    assert.deepEqual(sleeps, [7000, 7000])
    tooMany = 1
    retryAfter = undefined
    await s.get(platform)
    tooMany = 1
    retryAfter = 'Wed, 01 Jan 2025 00:00:03 GMT'
    await s.get(platform)
    assert.deepEqual(sleeps, [7000, 7000, 10_000, 3000])
    tooMany = 10
    retryAfter = '1'
    await rejectsCode(s.get(platform), 'RATE_LIMITED')
    assert.equal(sleeps.length, 7) // 3 more retries, then give up
    tooMany = 1
    retryAfter = '3600'
    await rejectsCode(s.get(platform), 'RATE_LIMITED') // longer than allowed: no waiting
    assert.equal(sleeps.length, 7)
    tooMany = 0
    assert.equal(retryAfterMs('soon', new Date()), undefined)
  })

  test('KDS pacing: requests to AMD spaced amdKdsSpacingMs apart by the injected clock; Intel not paced', async () => {
    let t = 1_000_000
    const { s, sleeps } = source({
      amdKdsSpacingMs: 10_000,
      now: () => new Date(t),
      sleep: (ms) => {
        sleeps.push(ms)
        t += ms
        return Promise.resolve()
      },
    })
    const chain = (signer: 'vcek' | 'vlek'): CollateralRequest => ({ kind: 'amd-cert-chain', product: 'Milan', signer })
    await Promise.all([s.get(chain('vcek')), s.get(chain('vlek')), s.get(vcekRequest)])
    assert.deepEqual(sleeps, [10_000, 10_000])
    t += 4000
    await s.get(chain('vcek'))
    assert.deepEqual(sleeps, [10_000, 10_000, 6000])
    await s.get(tcbInfo)
    assert.equal(sleeps.length, 3)
  })

  test('every request has a timeout; HTTP errors and unreachable services are typed', async () => {
    const { s } = source({ timeoutMs: 50 })
    await rejectsCode(s.get({ kind: 'intel-qe-identity', tee: 'tdx' }), 'TIMEOUT')
    statusOnce = 500
    await rejectsCode(s.get({ kind: 'intel-pck-crl', ca: 'platform' }), 'HTTP_ERROR')
    statusOnce = 0
    const closed = await startFakeVendor({})
    await closed.close()
    const unreachable = createHttpCollateral({ intelPcsUrl: closed.url, timeoutMs: 1000 })
    await rejectsCode(unreachable.get(tcbInfo), 'NETWORK_ERROR')
  })
})
