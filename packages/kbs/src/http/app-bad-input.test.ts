import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { kbsFixture, upstreamError } from './app-test-fixture.ts'

type Kbs = Awaited<ReturnType<typeof kbsFixture>>

const AUTH_BODY = { version: '0.4.0', tee: 'sample', 'extra-params': '' }
const MIB = 1024 * 1024
const b64url = (text: string): string => Buffer.from(text).toString('base64url')

interface BadCase {
  readonly name: string
  readonly method?: string
  readonly path: string
  readonly body?: string | Uint8Array
  readonly admin?: boolean
  readonly status: number
  readonly variant: string
  readonly detail?: RegExp
}

/**
 * Sends a bad request: the answer is the upstream error, storage is byte for byte what it was,
 * and a good request right after still succeeds.
 */
async function rejects(kbs: Kbs, bad: BadCase, headers: Record<string, string> = {}): Promise<void> {
  const before = await kbs.snapshot()
  const response = await kbs.app.request(bad.path, {
    method: bad.method ?? 'POST',
    headers,
    ...(bad.body === undefined ? {} : { body: bad.body }),
  })
  assert.equal(response.status, bad.status, `${bad.name}: status`)
  const body = (await response.json()) as { type: string; detail: string }
  assert.deepEqual(Object.keys(body).sort(), ['detail', 'type'], `${bad.name}: body shape`)
  assert.equal(body.type, upstreamError(bad.variant).type, `${bad.name}: ${body.detail}`)
  if (bad.detail !== undefined) assert.match(body.detail, bad.detail, bad.name)
  assert.equal(await kbs.snapshot(), before, `${bad.name}: storage changed`)
  const good = await kbs.app.request('/kbs/v0/auth', { method: 'POST', body: JSON.stringify(AUTH_BODY) })
  assert.equal(good.status, 200, `${bad.name}: the app stopped serving`)
}

async function adminHeaders(kbs: Kbs): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await kbs.adminToken({ role: 'admin' })}` }
}

describe('bad input over the KBS HTTP edge', () => {
  it('/auth: malformed JSON, wrong types, unknown TEE and other protocol versions', async () => {
    const kbs = await kbsFixture()
    const auth = (name: string, body: string, detail?: RegExp): BadCase => ({
      name,
      path: '/kbs/v0/auth',
      body,
      status: 401,
      variant: 'AttestationError',
      ...(detail === undefined ? {} : { detail }),
    })
    const cases = [
      auth('truncated JSON', '{"version":', /not valid JSON/),
      auth('not JSON', 'version=0.4.0', /not valid JSON/),
      auth('empty body', '', /not valid JSON/),
      auth('an array', '[]'),
      auth('a string', '"0.4.0"'),
      auth('null', 'null'),
      auth('version a number', JSON.stringify({ ...AUTH_BODY, version: 4 })),
      auth('tee a number', JSON.stringify({ ...AUTH_BODY, tee: 7 })),
      auth('tee missing', JSON.stringify({ version: '0.4.0', 'extra-params': '' })),
      auth('unknown TEE', JSON.stringify({ ...AUTH_BODY, tee: 'quantum' })),
      auth(
        'version 0.3.0',
        JSON.stringify({ ...AUTH_BODY, version: '0.3.0' }),
        /^KBS Client Protocol Version Mismatch$/,
      ),
      auth('version 0.4.1', JSON.stringify({ ...AUTH_BODY, version: '0.4.1' }), /Version Mismatch/),
      auth('version 1.0.0', JSON.stringify({ ...AUTH_BODY, version: '1.0.0' }), /Version Mismatch/),
      auth('invalid UTF-8', '\u0000'),
      auth(
        'extra-params nested 300,000 deep',
        `{"version":"0.4.0","tee":"sample","extra-params":${'['.repeat(300_000)}${']'.repeat(300_000)}}`,
      ),
    ]
    for (const bad of cases) await rejects(kbs, bad)
  })

  it('/attest: malformed JSON and wrong types leave the session as it was', async () => {
    const kbs = await kbsFixture()
    const authed = await kbs.app.request('/kbs/v0/auth', { method: 'POST', body: JSON.stringify(AUTH_BODY) })
    const { nonce } = (await authed.json()) as { nonce: string }
    const cookie = (authed.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const good = {
      'init-data': null,
      'runtime-data': { nonce, 'tee-pubkey': kbs.teePubKey },
      'tee-evidence': { primary_evidence: {}, additional_evidence: '' },
    }
    const attest = (name: string, body: unknown, detail?: RegExp): BadCase => ({
      name,
      path: '/kbs/v0/attest',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      status: 401,
      variant: 'AttestationError',
      ...(detail === undefined ? {} : { detail }),
    })
    const cases = [
      attest('truncated JSON', '{"runtime-data":'),
      attest('an array', '[]'),
      attest('null', 'null'),
      attest('runtime-data missing', { ...good, 'runtime-data': undefined }),
      attest('runtime-data a string', { ...good, 'runtime-data': 'x' }),
      attest('nonce a number', { ...good, 'runtime-data': { nonce: 1, 'tee-pubkey': kbs.teePubKey } }),
      attest('wrong nonce', { ...good, 'runtime-data': { nonce: 'AAAA', 'tee-pubkey': kbs.teePubKey } }),
      attest('tee-pubkey a string', { ...good, 'runtime-data': { nonce, 'tee-pubkey': 'key' } }),
      attest('tee-pubkey with bad base64url', {
        ...good,
        'runtime-data': { nonce, 'tee-pubkey': { ...kbs.teePubKey, x: '***', y: '!!!' } },
      }),
      attest('tee-evidence a number', { ...good, 'tee-evidence': 5 }),
      attest('additional_evidence not a string', {
        ...good,
        'tee-evidence': { primary_evidence: {}, additional_evidence: 5 },
      }),
      attest('init-data a number', { ...good, 'init-data': 5 }),
      attest(
        'evidence nested 300,000 deep',
        JSON.stringify({ ...good, 'tee-evidence': { primary_evidence: 0, additional_evidence: '' } }).replace(
          '"primary_evidence":0',
          `"primary_evidence":${'['.repeat(300_000)}${']'.repeat(300_000)}`,
        ),
      ),
      attest(
        'additional_evidence not a JSON object',
        {
          ...good,
          'tee-evidence': { primary_evidence: {}, additional_evidence: '[1]' },
        },
        /^RCAR handshake Attest failed: additional_evidence is not a JSON object$/,
      ),
    ]
    for (const bad of cases) await rejects(kbs, bad, { cookie })
    const attested = await kbs.app.request('/kbs/v0/attest', {
      method: 'POST',
      headers: { cookie },
      body: JSON.stringify(good),
    })
    assert.equal(attested.status, 200, 'the session still attests after the bad attempts')
  })

  it('admin bodies: resource policy, attestation policy and reference values of the wrong shape', async () => {
    const kbs = await kbsFixture({ realAttestationAdmin: true })
    const headers = await adminHeaders(kbs)
    const post = (name: string, path: string, body: unknown, variant: string, detail?: RegExp): BadCase => ({
      name,
      path: `/kbs/v0/${path}`,
      body: typeof body === 'string' ? body : JSON.stringify(body),
      status: 401,
      variant,
      ...(detail === undefined ? {} : { detail }),
    })
    const cases = [
      post('resource policy: truncated JSON', 'resource-policy', '{"policy":', 'ParsePolicyError'),
      post('resource policy: array', 'resource-policy', [], 'ParsePolicyError'),
      post('resource policy: null', 'resource-policy', 'null', 'ParsePolicyError'),
      post('resource policy: number', 'resource-policy', { policy: 5 }, 'ParsePolicyError'),
      post('resource policy: padded base64', 'resource-policy', { policy: 'cGFja2FnZSBw==' }, 'PolicyEngineError'),
      post('resource policy: not base64', 'resource-policy', { policy: 'pack age!' }, 'PolicyEngineError'),
      post('resource policy: one char too many', 'resource-policy', { policy: 'abcde' }, 'PolicyEngineError'),
      post(
        'resource policy: does not compile',
        'resource-policy',
        { policy: b64url('package policy\nallow if {') },
        'PolicyEngineError',
        /resource-policy\.rego:2: rego_parse_error/,
      ),
      post(
        'resource policy: unsafe variable',
        'resource-policy',
        { policy: b64url('package policy\nallow if x == 1\n') },
        'PolicyEngineError',
        /rego_unsafe_var_error/,
      ),
      post('attestation policy: truncated JSON', 'attestation-policy', '{', 'AttestationError'),
      post('attestation policy: array', 'attestation-policy', [], 'AttestationError'),
      post(
        'attestation policy: policy_id a number',
        'attestation-policy',
        { type: 'rego', policy_id: 1, policy: b64url('package policy') },
        'AttestationError',
      ),
      post(
        'attestation policy: bad base64',
        'attestation-policy',
        { type: 'rego', policy_id: 'default_cpu', policy: 'a+b/' },
        'AttestationError',
      ),
      post(
        'attestation policy: does not compile',
        'attestation-policy',
        { type: 'rego', policy_id: 'default_cpu', policy: b64url('package policy\ntrust_claims := {') },
        'AttestationError',
      ),
      post(
        'attestation policy: id with a path',
        'attestation-policy',
        { type: 'rego', policy_id: '../default_cpu', policy: b64url('package policy\n') },
        'AttestationError',
      ),
      post('reference value: truncated JSON', 'reference-value', '{"version"', 'RvpsError'),
      post('reference value: array', 'reference-value', [], 'RvpsError'),
      post('reference value: wrong types', 'reference-value', { version: 1, type: [], payload: {} }, 'RvpsError'),
      post(
        'reference value: payload not base64',
        'reference-value',
        { version: '0.1.0', type: 'sample', payload: '!!!' },
        'RvpsError',
      ),
      post(
        'reference value: payload not JSON',
        'reference-value',
        { version: '0.1.0', type: 'sample', payload: '{' },
        'RvpsError',
      ),
    ]
    for (const bad of cases) await rejects(kbs, bad, headers)
  })

  it('bodies over the 2 MiB default are 413 with the upstream body, on every POST route', async () => {
    const kbs = await kbsFixture({ realAttestationAdmin: true })
    const headers = await adminHeaders(kbs)
    const huge = new Uint8Array(2 * MIB + 1).fill(0x20)
    for (const path of [
      'auth',
      'attest',
      'resource-policy',
      'attestation-policy',
      'reference-value',
      'resource/a/b/c',
    ]) {
      await rejects(
        kbs,
        { name: `oversized ${path}`, path: `/kbs/v0/${path}`, body: huge, status: 413, variant: 'HTTPFailed' },
        headers,
      )
    }
    const atLimit = await kbs.app.request('/kbs/v0/resource/a/b/c', {
      method: 'POST',
      headers,
      body: new Uint8Array(2 * MIB).fill(0x41),
    })
    assert.equal(atLimit.status, 200, 'exactly 2 MiB is accepted')
  })

  it('resource paths with dots, empty or extra segments and percent-encoded tricks are refused', async () => {
    const kbs = await kbsFixture()
    const headers = await adminHeaders(kbs)
    const paths = [
      'default/key/..',
      'default/%2e%2e/one',
      'default/key/%2E%2e',
      'default/.hidden/one',
      '.default/key/one',
      'default/key/.',
      'default/key/%2eenv',
      'default//one',
      'default/key/',
      'default/key',
      'default/key/one/two',
      'default%2fkey/one',
      'default/key%2fone',
      'default/key/one%2f',
      'default/key/%00',
      'default/key/a%20b',
      'default/key/%ZZ',
    ]
    for (const path of paths) {
      for (const method of ['POST', 'DELETE']) {
        await rejects(
          kbs,
          {
            name: `${method} ${path}`,
            method,
            path: `/kbs/v0/resource/${path}`,
            ...(method === 'POST' ? { body: 'secret' } : {}),
            status: 401,
            variant: 'PluginInternalError',
          },
          headers,
        )
      }
      await rejects(
        kbs,
        {
          name: `GET ${path}`,
          method: 'GET',
          path: `/kbs/v0/resource/${path}`,
          status: 401,
          variant: 'PluginInternalError',
        },
        { authorization: 'Bearer affirming-token' },
      )
    }
    // The URL parser resolves `%2e%2e` segments as `..`: the request leaves /kbs/v0/ altogether.
    const escaped = await kbs.app.request('/kbs/v0/resource/%2e%2e/%2e%2e/kbs', { method: 'POST', headers, body: 'x' })
    assert.equal(escaped.status, 404)
    assert.deepEqual(await kbs.storage.list('repository'), [])
  })
})
