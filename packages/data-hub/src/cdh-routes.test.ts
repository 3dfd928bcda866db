import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { describe, test } from 'node:test'
import { createSampleAttester, createSampleDeviceAttester } from '@carapace/attester'
import type { CdhLogLevel } from './cdh-logger.ts'
import { createCdhRouter, type CdhResponse } from './cdh-routes.ts'
import { createConfidentialDataHub } from './confidential-data-hub.ts'
import { FakeKbs } from './fake-kbs-test-support.ts'

interface LogLine {
  level: CdhLogLevel
  message: string
  fields: Record<string, unknown>
}

function setup(options: { withDevice?: boolean; initData?: string; now?: () => number } = {}) {
  const kbs = new FakeKbs({ resources: { 'default/key/1': 'the secret', 'default/cert/x': 'other' }, ...options })
  const hub = createConfidentialDataHub({
    kbsUrl: 'https://kbs.test:8080',
    attester: createSampleAttester(),
    fetch: kbs.fetch,
    ...(options.withDevice === true ? { deviceAttesters: [createSampleDeviceAttester()] } : {}),
    ...(options.initData === undefined ? {} : { initData: options.initData }),
    ...(options.now === undefined ? {} : { now: options.now }),
  })
  const logs: LogLine[] = []
  const router = createCdhRouter({
    hub,
    logger: (level, message, fields = {}) => logs.push({ level, message, fields }),
  })
  const call = (url: string, method = 'GET', remoteAddress = '127.0.0.1', body = '', requestId?: string) =>
    router({
      method,
      url,
      remoteAddress,
      readBody: () => Promise.resolve(new Uint8Array(Buffer.from(body))),
      ...(requestId === undefined ? {} : { requestId }),
    })
  return { kbs, call, logs }
}

const bodyText = (r: CdhResponse): string => (typeof r.body === 'string' ? r.body : Buffer.from(r.body).toString())

describe('/cdh/resource', () => {
  test('returns the decrypted resource as octet-stream, for any method, query dropped', async () => {
    const { call, kbs } = setup()
    const got = await call('/cdh/resource/default/key/1?x=1')
    assert.equal(got.status, 200)
    assert.equal(got.contentType, 'application/octet-stream')
    assert.equal(bodyText(got), 'the secret')
    assert.equal(bodyText(await call('/cdh/resource/default/cert/x', 'POST')), 'other')
    assert.equal(kbs.attestCount, 1, 'one attestation serves both')
    assert.ok(kbs.seen.includes('GET /kbs/v0/resource/default/key/1'))
  })

  test('invalid resource paths are a 400 before any KBS call', async () => {
    const { call, kbs, logs } = setup()
    for (const path of [
      '/cdh/resource/../key/1',
      '/cdh/resource/default/../1',
      '/cdh/resource/.git/key/1',
      '/cdh/resource/default//1',
      '/cdh/resource/default/key',
      '/cdh/resource/default/key/1/2',
      '/cdh/resource/default/key/1/',
      '/cdh/resource/%2e%2e/key/1',
      '/cdh/resource/',
    ]) {
      const got = await call(path)
      assert.equal(got.status, 400, path)
      assert.match(bodyText(got), /is not \/<repository>\/<type>\/<tag>/)
    }
    assert.deepEqual(kbs.seen, [])
    assert.equal(logs.filter((l) => l.message === 'refused an invalid resource path').length, 9)
  })

  test('unknown URLs are 404 URL NOT FOUND', async () => {
    const { call, kbs } = setup()
    for (const path of [
      '/cdh/resource',
      '/cdh/secret/a/b/c',
      '/cdh',
      '/',
      '/kbs/v0/resource/a/b/c',
      '/aa',
      '/aa/nope',
    ]) {
      const got = await call(path)
      assert.deepEqual([got.status, bodyText(got), got.contentType], [404, 'URL NOT FOUND', undefined], path)
    }
    assert.deepEqual(kbs.seen, [])
  })

  test('a KBS error is a 500 whose text carries the KBS detail, logged with status and type', async () => {
    const { call, logs } = setup()
    const got = await call('/cdh/resource/default/key/missing')
    assert.equal(got.status, 500)
    assert.match(
      bodyText(got),
      /^get resource kbs:\/\/\/default\/key\/missing failed: .*404.*resource default\/key\/missing not found/,
    )
    const line = logs.find((l) => l.message === 'request failed')
    assert.equal(line?.level, 'error')
    assert.equal(line.fields['kbsStatus'], 404)
    assert.equal(line.fields['code'], 'KBS_FAILED')
    assert.match(String(line.fields['kbsErrorType']), /PluginInternalError$/)
  })

  test('the request id goes to the KBS as x-request-id and into the log lines', async () => {
    const { call, kbs, logs } = setup()
    assert.equal((await call('/cdh/resource/default/key/1', 'GET', '127.0.0.1', '', 'req-1')).status, 200)
    assert.equal((await call('/cdh/resource/default/key/nope', 'GET', '127.0.0.1', '', 'req-2')).status, 500)
    assert.deepEqual(kbs.seen, [
      'POST /kbs/v0/auth',
      'POST /kbs/v0/attest',
      'GET /kbs/v0/resource/default/key/1',
      'GET /kbs/v0/resource/default/key/nope',
    ])
    assert.deepEqual(kbs.seenRequestIds, ['req-1', 'req-1', 'req-1', 'req-2'])
    assert.deepEqual(
      logs.map((l) => [l.message, l.fields['requestId']]),
      [
        ['resource released to the workload', 'req-1'],
        ['request failed', 'req-2'],
      ],
    )
  })

  test('a refused token re-attests and retries', async () => {
    const { call, kbs } = setup()
    assert.equal((await call('/cdh/resource/default/key/1')).status, 200)
    kbs.forgetTokens()
    const got = await call('/cdh/resource/default/key/1')
    assert.equal(bodyText(got), 'the secret')
    assert.equal(kbs.attestCount, 2)
  })

  test('still unauthorized after three attempts is a 500 naming the 401', async () => {
    const { call, kbs } = setup()
    kbs.forcedResourceStatuses.push(401, 401, 401)
    const got = await call('/cdh/resource/default/key/1')
    assert.equal(got.status, 500)
    assert.match(bodyText(got), /still unauthorized after 3 attempts/)
    assert.equal(kbs.attestCount, 3)
    assert.equal(bodyText(await call('/cdh/resource/default/key/1')), 'the secret', 'serves again afterwards')
  })

  test('concurrent fetches share one attestation', async () => {
    const { call, kbs } = setup()
    let release = (): void => undefined
    kbs.holdAttest = new Promise((resolve) => {
      release = resolve
    })
    const pending = Array.from({ length: 8 }, (_, i) =>
      call(`/cdh/resource/default/${i % 2 === 0 ? 'key/1' : 'cert/x'}`),
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    release()
    const results = await Promise.all(pending)
    assert.deepEqual(
      results.map((r) => bodyText(r)),
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? 'the secret' : 'other')),
    )
    assert.equal(kbs.attestCount, 1)
    assert.equal(kbs.seen.filter((s) => s === 'POST /kbs/v0/auth').length, 1)
  })

  test('the token is cached until exp, then renewed', async () => {
    let now = Date.UTC(2026, 0, 1)
    const { call, kbs } = setup({ now: () => now })
    await call('/cdh/resource/default/key/1')
    now += 299_000
    await call('/cdh/resource/default/key/1')
    assert.equal(kbs.attestCount, 1)
    now += 2_000
    assert.equal(bodyText(await call('/cdh/resource/default/key/1')), 'the secret')
    assert.equal(kbs.attestCount, 2)
  })

  test('init-data is sent with the attestation', async () => {
    const initData = 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n'
    const { call, kbs } = setup({ initData })
    await call('/cdh/resource/default/key/1')
    assert.deepEqual(kbs.initData, [{ format: 'toml', body: initData }])
  })
})

describe('/aa/token', () => {
  test('token_type=kbs: {"token","tee_keypair"} with the PKCS#8 key the token binds', async () => {
    const { call, kbs } = setup()
    const got = await call('/aa/token?token_type=kbs')
    assert.equal(got.status, 200)
    assert.equal(got.contentType, 'application/octet-stream')
    const body = JSON.parse(bodyText(got)) as { token: string; tee_keypair: string }
    assert.deepEqual(Object.keys(body), ['token', 'tee_keypair'])
    assert.match(body.tee_keypair, /^-----BEGIN PRIVATE KEY-----\n/)
    const claims = JSON.parse(Buffer.from(body.token.split('.')[1] ?? '', 'base64url').toString()) as {
      'tee-pubkey': { x: string; y: string }
    }
    const jwk = createPublicKey(body.tee_keypair).export({ format: 'jwk' })
    assert.equal(claims['tee-pubkey'].x, jwk.x)
    assert.equal(claims['tee-pubkey'].y, jwk.y)
    const again = JSON.parse(bodyText(await call('/aa/token?token_type=kbs'))) as { token: string }
    assert.equal(again.token, body.token, 'cached')
    assert.equal(kbs.attestCount, 1)
    await call('/cdh/resource/default/key/1')
    assert.equal(kbs.attestCount, 1, 'resources use the same token')
  })

  test('missing token_type is 400 BAD REQUEST; unknown types 500; other methods 404', async () => {
    const { call, kbs } = setup()
    assert.deepEqual(await call('/aa/token'), { status: 400, body: 'BAD REQUEST' })
    assert.deepEqual(await call('/aa/token?tokentype=kbs'), { status: 400, body: 'BAD REQUEST' })
    const unknown = await call('/aa/token?token_type=coco_as')
    assert.equal(unknown.status, 500)
    assert.match(bodyText(unknown), /Unsupported token type "coco_as"/)
    assert.deepEqual(await call('/aa/token?token_type=kbs', 'POST'), { status: 404, body: 'URL NOT FOUND' })
    assert.deepEqual(kbs.seen, [])
  })

  test('an attestation the KBS refuses is a 500 with its detail', async () => {
    const { call, kbs } = setup()
    kbs.refuseAttestation = 'policy says no'
    const got = await call('/aa/token?token_type=kbs')
    assert.equal(got.status, 500)
    assert.match(bodyText(got), /^get kbs token failed: .*policy says no/)
  })
})

describe('/aa/evidence and /aa/additional-evidence', () => {
  test('runtime_data as-is, or URL-safe base64 with encoding=base64', async () => {
    const { call, kbs } = setup()
    const plain = await call('/aa/evidence?runtime_data=hello%20world')
    assert.equal(plain.contentType, 'application/octet-stream')
    assert.equal(bodyText(plain), `{"svn":"1","report_data":"${Buffer.from('hello world').toString('base64')}"}`)
    const b64 = await call('/aa/evidence?runtime_data=cmVwb3J0&encoding=base64')
    assert.equal(bodyText(b64), `{"svn":"1","report_data":"${Buffer.from('report').toString('base64')}"}`)
    assert.deepEqual(kbs.seen, [])
  })

  test('missing or undecodable runtime_data is 400; other methods 404', async () => {
    const { call } = setup()
    for (const url of [
      '/aa/evidence',
      '/aa/evidence?runtime_data=!!!&encoding=base64',
      '/aa/evidence?runtime_data=x&encoding=hex',
      '/aa/additional-evidence?encoding=base64',
    ]) {
      assert.deepEqual(await call(url), { status: 400, body: 'BAD REQUEST' }, url)
    }
    assert.deepEqual(await call('/aa/evidence?runtime_data=x', 'POST'), { status: 404, body: 'URL NOT FOUND' })
  })

  test('additional evidence: empty without device attesters, else a map by TEE', async () => {
    const none = await setup().call('/aa/additional-evidence?runtime_data=abc')
    assert.deepEqual([none.status, bodyText(none)], [200, ''])
    const some = await setup({ withDevice: true }).call('/aa/additional-evidence?runtime_data=abc')
    assert.equal(bodyText(some), '{"sampledevice":{"svn":"2","report_data":"YWJj"}}')
  })
})

describe('/info, /aa/aael and peers', () => {
  test('/info reports version, TEE and feature; other methods 405', async () => {
    const info = await setup({ withDevice: true }).call('/info')
    assert.equal(info.contentType, 'application/json')
    assert.deepEqual(JSON.parse(bodyText(info)), {
      version: '0.1.0',
      tee: 'sample',
      additional_tees: ['sampledevice'],
      feature: 'all',
    })
    assert.equal(bodyText(await setup().call('/info')), '{"version":"0.1.0","tee":"sample","feature":"all"}')
    assert.deepEqual(await setup().call('/info', 'PUT'), { status: 405, body: 'Method Not Allowed' })
  })

  test('/aa/aael answers that the event log is not enabled; a bad body is 500', async () => {
    const { call } = setup()
    const ok = await call('/aa/aael', 'POST', '127.0.0.1', '{"domain":"d","operation":"o","content":"c"}')
    assert.equal(ok.status, 200)
    assert.equal(ok.contentType, 'application/json')
    assert.deepEqual(JSON.parse(bodyText(ok)), {
      success: 'false',
      message: 'Attestation Agent does not enable eventlog recording',
    })
    for (const body of ['{', '[]', '{"domain":"d","operation":"o"}', '{"domain":1,"operation":"o","content":"c"}']) {
      const bad = await call('/aa/aael', 'POST', '127.0.0.1', body)
      assert.equal(bad.status, 500, body)
      assert.match(bodyText(bad), /^Illegal AAEL eventry format: /)
    }
    assert.deepEqual(await call('/aa/aael'), { status: 404, body: 'URL NOT FOUND' })
  })

  test('non-loopback peers get 403 Forbidden on every route', async () => {
    const { call, kbs, logs } = setup()
    for (const peer of ['10.0.0.2', '::ffff:192.168.1.1', '::']) {
      assert.deepEqual(await call('/cdh/resource/default/key/1', 'GET', peer), { status: 403, body: 'Forbidden' })
      assert.deepEqual(await call('/info', 'GET', peer), { status: 403, body: 'Forbidden' })
    }
    assert.deepEqual(kbs.seen, [])
    assert.ok(logs.some((l) => l.level === 'warn' && l.fields['peer'] === '10.0.0.2'))
    assert.equal((await call('/cdh/resource/default/key/1', 'GET', '::ffff:127.0.0.1')).status, 200)
    assert.equal((await call('/cdh/resource/default/key/1', 'GET', '::1')).status, 200)
  })

  test('absolute-form request targets route by their path', async () => {
    const { call } = setup()
    assert.equal(bodyText(await call('http://127.0.0.1:8006/cdh/resource/default/key/1')), 'the secret')
  })
})
