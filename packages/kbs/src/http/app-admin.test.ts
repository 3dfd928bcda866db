import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, it } from 'node:test'
import { kbsFixture, upstreamError } from './app-test-fixture.ts'

const b64url = (text: string): string => Buffer.from(text).toString('base64url')

describe('admin routes', () => {
  it('stores, lists and deletes resources with an admin token', async () => {
    const kbs = await kbsFixture()
    const authorization = `Bearer ${await kbs.adminToken({ role: 'admin' })}`
    const posted = await kbs.app.request('/kbs/v0/resource/default/key/one', {
      method: 'POST',
      headers: { authorization },
      body: 'secret',
    })
    assert.equal(posted.status, 200)
    assert.equal(posted.headers.get('content-type'), 'text/xml')
    assert.equal(Buffer.from((await kbs.storage.get('repository', 'default/key/one')) ?? []).toString(), 'secret')
    const deleted = await kbs.app.request('/kbs/v0/resource/default/key/one', {
      method: 'DELETE',
      headers: { authorization },
    })
    assert.equal(deleted.status, 200)
    const again = await kbs.app.request('/kbs/v0/resource/default/key/one', {
      method: 'DELETE',
      headers: { authorization },
    })
    assert.equal(again.status, 401)
    assert.equal(((await again.json()) as { type: string }).type, upstreamError('PluginInternalError').type)
  })

  it('rejects missing, foreign-key, role-less and expired admin tokens', async () => {
    const kbs = await kbsFixture()
    const missing = await kbs.app.request('/kbs/v0/resource/default/key/one', { method: 'POST', body: 'x' })
    assert.equal(missing.status, 401)
    assert.deepEqual(
      await missing.json(),
      upstreamError('AdminAuthInitialization', 'Admin auth error: no Bearer token'),
    )
    const foreign = await kbs.adminToken({ role: 'admin' }, generateKeyPairSync('ed25519').privateKey)
    const roleless = await kbs.adminToken({})
    const expired = await kbs.adminToken({ role: 'admin', exp: 1 })
    for (const token of [foreign, roleless, expired]) {
      const response = await kbs.app.request('/kbs/v0/resource-policy', {
        headers: { authorization: `Bearer ${token}` },
      })
      assert.equal(response.status, 401)
      assert.equal(((await response.json()) as { type: string }).type, upstreamError('AdminAuthAccess').type)
    }
    const wrongRole = await kbs.adminToken({ role: 'reader' })
    const denied = await kbs.app.request('/kbs/v0/resource-policy', {
      headers: { authorization: `Bearer ${wrongRole}` },
    })
    assert.equal(denied.status, 401)
  })

  it('sets a compiling resource policy, refuses standard base64 and policies that do not compile', async () => {
    const kbs = await kbsFixture()
    const headers = { authorization: `Bearer ${await kbs.adminToken({ role: 'admin' })}` }
    const good = 'package policy\ndefault allow := true\n'
    const set = await kbs.app.request('/kbs/v0/resource-policy', {
      method: 'POST',
      headers,
      body: JSON.stringify({ policy: b64url(good) }),
    })
    assert.equal(set.status, 200)
    const listed = await kbs.app.request('/kbs/v0/resource-policy', { headers })
    assert.deepEqual(await listed.json(), ['resource-policy'])

    const broken = await kbs.app.request('/kbs/v0/resource-policy', {
      method: 'POST',
      headers,
      body: JSON.stringify({ policy: b64url('package policy\nallow if {') }),
    })
    assert.equal(broken.status, 401)
    assert.equal(((await broken.json()) as { type: string }).type, upstreamError('PolicyEngineError').type)
    const padded = await kbs.app.request('/kbs/v0/resource-policy', {
      method: 'POST',
      headers,
      body: JSON.stringify({ policy: Buffer.from('package policy\n\ndefault allow := false').toString('base64') }),
    })
    assert.equal(padded.status, 401)
    const malformed = await kbs.app.request('/kbs/v0/resource-policy', { method: 'POST', headers, body: '{' })
    assert.equal(((await malformed.json()) as { type: string }).type, upstreamError('ParsePolicyError').type)
    const stored = Buffer.from((await kbs.storage.get('kbs', 'resource-policy.rego')) ?? []).toString()
    assert.equal(stored, good)
  })

  it('forwards attestation policies and reference values', async () => {
    const kbs = await kbsFixture()
    const headers = { authorization: `Bearer ${await kbs.adminToken({ role: 'admin' })}` }
    const policy = await kbs.app.request('/kbs/v0/attestation-policy', {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'rego', policy_id: 'default', policy: b64url('package policy') }),
    })
    assert.equal(policy.status, 200)
    const value = await kbs.app.request('/kbs/v0/reference-value/measurement', { headers })
    assert.deepEqual(await value.json(), ['1'])
    const missing = await kbs.app.request('/kbs/v0/reference-value/nothing', { headers })
    assert.equal(missing.status, 401)
    assert.equal(((await missing.json()) as { type: string }).type, upstreamError('RvpsError').type)
    const register = await kbs.app.request('/kbs/v0/reference-value', { method: 'POST', headers, body: '{}' })
    assert.equal(register.status, 200)
  })

  it('lists reference values (a Carapace extension) only for an authorized admin', async () => {
    const kbs = await kbsFixture()
    const headers = { authorization: `Bearer ${await kbs.adminToken({ role: 'admin' })}` }
    const listed = await kbs.app.request('/kbs/v0/reference-value', { headers })
    assert.equal(listed.status, 200)
    assert.deepEqual(await listed.json(), { measurement: ['1'] })
    const anonymous = await kbs.app.request('/kbs/v0/reference-value')
    assert.equal(anonymous.status, 401)
    assert.equal(((await anonymous.json()) as { type: string }).type, upstreamError('AdminAuthAccess').type)
    const reader = { authorization: `Bearer ${await kbs.adminToken({ role: 'reader' })}` }
    const denied = await kbs.app.request('/kbs/v0/reference-value', { headers: reader })
    assert.equal(denied.status, 401)
    // The upstream per-id route is unchanged: an empty id is simply not found.
    const emptyId = await kbs.app.request('/kbs/v0/reference-value/', { headers })
    assert.equal(emptyId.status, 401)
    assert.equal(((await emptyId.json()) as { type: string }).type, upstreamError('RvpsError').type)
  })
})

describe('resource release and the edge', () => {
  it('denies by the default policy when a submodule is not affirming, and needs a token', async () => {
    const kbs = await kbsFixture()
    await kbs.storage.put('repository', 'default/key/one', Buffer.from('secret'))
    const none = await kbs.app.request('/kbs/v0/resource/default/key/one')
    assert.deepEqual(await none.json(), upstreamError('TokenNotFound', 'Attestation Token not found'))
    const warning = await kbs.app.request('/kbs/v0/resource/default/key/one', {
      headers: { authorization: 'Bearer warning-token' },
    })
    assert.equal(warning.status, 401)
    assert.deepEqual(await warning.json(), upstreamError('PolicyDeny', 'Resource policy denied the request'))
    const forged = await kbs.app.request('/kbs/v0/resource/default/key/one', {
      headers: { authorization: 'Bearer forged' },
    })
    assert.equal(((await forged.json()) as { type: string }).type, upstreamError('TokenVerifierError').type)
    const ok = await kbs.app.request('/kbs/v0/resource/default/key/one', {
      headers: { authorization: 'Bearer affirming-token' },
    })
    assert.equal(ok.status, 200)
  })

  it('answers 401 PluginInternalError for a missing resource and for invalid paths', async () => {
    const kbs = await kbsFixture()
    const headers = { authorization: 'Bearer affirming-token' }
    for (const path of ['default/key/absent', '.hidden/key/one', 'default/%2e%2e/one', 'a/b', 'a/b/c/d']) {
      const response = await kbs.app.request(`/kbs/v0/resource/${path}`, { headers })
      assert.equal(response.status, 401, path)
      assert.equal(((await response.json()) as { type: string }).type, upstreamError('PluginInternalError').type, path)
    }
    const adminHeaders = { authorization: `Bearer ${await kbs.adminToken({ role: 'admin' })}` }
    const write = await kbs.app.request('/kbs/v0/resource/..x/key/one', {
      method: 'POST',
      headers: adminHeaders,
      body: 'x',
    })
    assert.equal(write.status, 401)
    assert.deepEqual(await kbs.storage.list('repository'), [])
  })

  it('answers 404 PluginNotFound for an unknown plugin, healthz, metrics, request ids', async () => {
    const kbs = await kbsFixture()
    const unknown = await kbs.app.request('/kbs/v0/nebula/x', { headers: { 'x-request-id': 'req-1' } })
    assert.equal(unknown.status, 404)
    assert.equal(unknown.headers.get('x-request-id'), 'req-1')
    assert.deepEqual(await unknown.json(), upstreamError('PluginNotFound', 'Plugin nebula not found'))
    const health = await kbs.app.request('/healthz')
    assert.equal(health.status, 200)
    assert.match(health.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/)
    const metrics = await kbs.app.request('/metrics')
    assert.match(await metrics.text(), /kbs_http_requests_total\{method="GET",status="404"\} 1/)
    assert.equal((await kbs.app.request('/metrics', { method: 'POST' })).status, 405)
  })

  it('refuses an oversized body with 413 and writes nothing', async () => {
    const kbs = await kbsFixture({ payloadRequestSizeMiB: 1 })
    const headers = { authorization: `Bearer ${await kbs.adminToken({ role: 'admin' })}` }
    const response = await kbs.app.request('/kbs/v0/resource/default/key/big', {
      method: 'POST',
      headers,
      body: Buffer.alloc(1024 * 1024 + 1),
    })
    assert.equal(response.status, 413)
    assert.equal(((await response.json()) as { type: string }).type, upstreamError('HTTPFailed').type)
    assert.deepEqual(await kbs.storage.list('repository'), [])
  })
})
