import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createSampleAttester, createSampleDeviceAttester } from '@carapace/attester'
import { exportTeePubKey, generateTeeKeyPair, kbsErrorInformation } from '@carapace/protocol'
import { FakeKbs } from './fake-kbs-test-support.ts'
import { createKbsClient } from './kbs-client.ts'
import { KbsClientError, type KbsClientErrorCode } from './kbs-client-error.ts'

const SECRET = new TextEncoder().encode('the key')
const START = Date.parse('2026-06-01T12:00:00Z')

function setup(options: { ttl?: number; initData?: string; extraParams?: unknown } = {}) {
  let now = START
  const kbs = new FakeKbs({
    now: () => now,
    resources: { 'default/key/1': SECRET },
    ...(options.ttl === undefined ? {} : { tokenTtlSeconds: options.ttl }),
    ...(options.initData === undefined ? {} : { expectedInitData: options.initData }),
    ...(options.extraParams === undefined ? {} : { extraParams: options.extraParams as never }),
  })
  const client = createKbsClient({
    url: 'http://kbs.test:8080/',
    attester: createSampleAttester(),
    fetch: kbs.fetch,
    now: () => now,
    ...(options.initData === undefined ? {} : { initData: options.initData }),
  })
  return { kbs, client, advance: (ms: number) => (now += ms) }
}

function isClientError(code: KbsClientErrorCode, check?: (error: KbsClientError) => void) {
  return (error: unknown) => {
    assert.ok(error instanceof KbsClientError, `expected KbsClientError, got ${String(error)}`)
    assert.equal(error.code, code, error.message)
    check?.(error)
    return true
  }
}

test('whole flow: auth, attest with cookie and bound evidence, resource decrypted', async () => {
  const { kbs, client } = setup()
  assert.deepEqual(await client.getResource('default/key/1'), SECRET)
  assert.deepEqual(
    kbs.seen.map((r) => `${r.method} ${r.path}`),
    ['POST /kbs/v0/auth', 'POST /kbs/v0/attest', 'GET /kbs/v0/resource/default/key/1'],
  )
  const [auth, attest, get] = kbs.seen
  assert.ok(auth !== undefined && attest !== undefined && get !== undefined)
  assert.equal(
    auth.body,
    '{"version":"0.4.0","tee":"sample","extra-params":{"supported-hash-algorithms":["sha256","sha384","sha512","sm3"]}}',
  )
  assert.equal(auth.headers.get('content-type'), 'application/json')
  assert.equal(auth.headers.get('cookie'), null)
  assert.match(attest.headers.get('cookie') ?? '', /^kbs-session-id=[0-9a-f]{16}$/)
  assert.equal(get.headers.get('cookie'), attest.headers.get('cookie'))
  const body = JSON.parse(attest.body) as Record<string, unknown>
  assert.deepEqual(Object.keys(body), ['init-data', 'runtime-data', 'tee-evidence'])
  assert.equal(body['init-data'], null)
  assert.deepEqual((body['runtime-data'] as Record<string, unknown>)['tee-pubkey'], exportTeePubKey(client.teeKey))
  assert.equal((body['tee-evidence'] as Record<string, unknown>)['additional_evidence'], '')
})

test('init-data is sent as {"format":"toml","body":…}; selected sha512 is honoured', async () => {
  const initData = 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n'
  const { kbs, client } = setup({ initData, extraParams: { 'selected-hash-algorithm': 'SHA512' } })
  const token = await client.attest()
  assert.equal(token.split('.').length, 3)
  assert.equal(kbs.attestCount, 1)
})

test('device attesters fill additional_evidence and change the primary binding', async () => {
  let now = START
  const kbs = new FakeKbs({ now: () => now, resources: { 'a/b/c': SECRET } })
  const client = createKbsClient({
    url: 'http://kbs.test',
    attester: createSampleAttester(),
    deviceAttesters: [createSampleDeviceAttester()],
    fetch: kbs.fetch,
    now: () => (now += 0),
  })
  assert.deepEqual(await client.getResource('a/b/c'), SECRET)
})

test('evidence not bound to the runtime data is refused (the fake KBS checks the binding)', async () => {
  const kbs = new FakeKbs({ now: () => START })
  const client = createKbsClient({
    url: 'http://kbs.test',
    attester: { tee: 'sample', evidence: () => Promise.resolve({ svn: '1', report_data: 'AAAA' }) },
    fetch: kbs.fetch,
    now: () => START,
  })
  await assert.rejects(
    client.attest(),
    isClientError('ATTESTATION_FAILED', (error) => {
      assert.equal(error.info?.type.endsWith('/AttestationError'), true)
    }),
  )
  assert.equal(kbs.attestCount, 0)
})

test('an expired session cookie is not sent; the 401 leads to a fresh RCAR', async () => {
  const { kbs, client, advance } = setup({ ttl: 3600 })
  const token = await client.getToken()
  advance(300_000)
  assert.equal(await client.getToken(), token)
  assert.deepEqual(await client.getResource('default/key/1'), SECRET)
  const gets = kbs.seen.filter((r) => r.method === 'GET')
  assert.equal(gets[0]?.headers.get('cookie'), null)
  assert.match(gets[1]?.headers.get('cookie') ?? '', /^kbs-session-id=/)
  assert.equal(kbs.attestCount, 2)
})

test('the token is reused until exp, then a new RCAR runs', async () => {
  const { kbs, client, advance } = setup({ ttl: 60 })
  const first = await client.getToken()
  assert.equal(await client.getToken(), first)
  await client.getResource('default/key/1')
  assert.equal(kbs.attestCount, 1)
  advance(59_999)
  assert.equal(await client.getToken(), first)
  advance(1)
  const second = await client.getToken()
  assert.notEqual(second, first)
  assert.equal(kbs.attestCount, 2)
})

test('401 on a resource → fresh RCAR and retry, then success', async () => {
  const { kbs, client } = setup()
  kbs.forcedResourceStatuses.push(401)
  assert.deepEqual(await client.getResource('default/key/1'), SECRET)
  assert.equal(kbs.attestCount, 2)
  assert.equal(kbs.seen.filter((r) => r.method === 'GET').length, 2)
})

test('3 × 401 → UNAUTHORIZED carrying the upstream ErrorInformation', async () => {
  const { kbs, client } = setup()
  kbs.forcedResourceStatuses.push(401, 401, 401)
  await assert.rejects(
    client.getResource('default/key/1'),
    isClientError('UNAUTHORIZED', (error) => {
      assert.equal(error.status, 401)
      assert.deepEqual(error.info, kbsErrorInformation('TokenVerifierError', 'forced failure'))
    }),
  )
  assert.equal(kbs.seen.filter((r) => r.method === 'GET').length, 3)
  assert.equal(kbs.attestCount, 3)
})

test('404 → RESOURCE_NOT_FOUND with the upstream type and detail, no retry', async () => {
  const { kbs, client } = setup()
  await assert.rejects(
    client.getResource('default/key/missing'),
    isClientError('RESOURCE_NOT_FOUND', (error) => {
      assert.deepEqual(error.info, {
        type: 'https://github.com/confidential-containers/kbs/errors/PluginInternalError',
        detail: 'resource default/key/missing not found',
      })
    }),
  )
  assert.equal(kbs.seen.filter((r) => r.method === 'GET').length, 1)
})

test('invalid resource paths are refused before any request', async () => {
  const { kbs, client } = setup()
  await assert.rejects(client.getResource('../etc/passwd'), isClientError('INVALID_ARGUMENT'))
  await assert.rejects(client.getResource('a/b'), isClientError('INVALID_ARGUMENT'))
  assert.equal(kbs.seen.length, 0)
})

test('malformed responses are PROTOCOL errors; other statuses KBS_ERROR; refused RCAR ATTESTATION_FAILED', async () => {
  const cases: [string, { status: number; body: string }, KbsClientErrorCode][] = [
    ['/kbs/v0/auth', { status: 200, body: 'not json' }, 'PROTOCOL'],
    ['/kbs/v0/auth', { status: 200, body: '{"extra-params":""}' }, 'PROTOCOL'],
    ['/kbs/v0/auth', { status: 200, body: '{"nonce":"n","extra-params":{"selected-hash-algorithm":1}}' }, 'PROTOCOL'],
    ['/kbs/v0/attest', { status: 200, body: '{"tok":"x"}' }, 'PROTOCOL'],
    ['/kbs/v0/attest', { status: 200, body: '{"token":"not-a-jwt"}' }, 'PROTOCOL'],
    [
      '/kbs/v0/attest',
      { status: 401, body: JSON.stringify(kbsErrorInformation('AttestationError', 'bad')) },
      'ATTESTATION_FAILED',
    ],
    ['/kbs/v0/resource/default/key/1', { status: 200, body: '{"protected":"x"}' }, 'PROTOCOL'],
    ['/kbs/v0/resource/default/key/1', { status: 200, body: '<html>' }, 'PROTOCOL'],
    ['/kbs/v0/resource/default/key/1', { status: 500, body: 'oops' }, 'KBS_ERROR'],
  ]
  for (const [path, override, code] of cases) {
    const { kbs, client } = setup()
    kbs.overrides.set(path, override)
    await assert.rejects(client.getResource('default/key/1'), isClientError(code), `${path} ${override.body}`)
  }
})

test('attest failure keeps upstream ErrorInformation', async () => {
  const { kbs, client } = setup()
  kbs.overrides.set('/kbs/v0/attest', {
    status: 401,
    body: JSON.stringify(kbsErrorInformation('AttestationError', 'policy says no')),
  })
  await assert.rejects(
    client.attest(),
    isClientError('ATTESTATION_FAILED', (error) => {
      assert.equal(error.info?.detail, 'policy says no')
    }),
  )
})

test('a fetch that throws is a NETWORK error', async () => {
  const client = createKbsClient({
    url: 'http://kbs.test',
    attester: createSampleAttester(),
    fetch: () => Promise.reject(new TypeError('connection refused')),
  })
  await assert.rejects(client.attest(), isClientError('NETWORK'))
})

test('passport mode: Bearer token, no cookie, no RCAR; 401 fetches a new token', async () => {
  const now = START
  const kbs = new FakeKbs({ now: () => now, resources: { 'default/key/1': SECRET } })
  let provided = 0
  const client = createKbsClient({
    url: 'http://kbs.test',
    fetch: kbs.fetch,
    now: () => now,
    tokenProvider: () => {
      provided += 1
      const teeKey = generateTeeKeyPair()
      return Promise.resolve({ token: kbs.issueToken(exportTeePubKey(teeKey), now / 1000 + 60), teeKey })
    },
  })
  kbs.forcedResourceStatuses.push(401)
  assert.deepEqual(await client.getResource('default/key/1'), SECRET)
  assert.equal(provided, 2)
  assert.equal(kbs.attestCount, 0)
  const gets = kbs.seen.filter((r) => r.method === 'GET')
  assert.equal(gets.length, 2)
  assert.match(gets[1]?.headers.get('authorization') ?? '', /^Bearer [^.]+\.[^.]+\.c2ln$/)
})

test('a client needs an attester or a token provider', () => {
  assert.throws(() => createKbsClient({ url: 'http://kbs.test' }), isClientError('INVALID_ARGUMENT'))
})
