import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { kbsFixture, upstreamError } from './app-test-fixture.ts'
import { sessionLogId } from './app.ts'

const AUTH_BODY = { version: '0.4.0', tee: 'sample', 'extra-params': '' }

describe('denials explain themselves in the log', () => {
  it('a resource policy deny logs the failed rule, expression and claims; the body stays upstream', async () => {
    const kbs = await kbsFixture()
    const response = await kbs.app.request('/kbs/v0/resource/default/key/one', {
      headers: { authorization: 'Bearer warning-token', 'x-request-id': 'req-deny-1' },
    })
    assert.equal(response.status, 401)
    assert.deepEqual(await response.json(), upstreamError('PolicyDeny', 'Resource policy denied the request'))
    const line = kbs.logged.find((l) => l.message === 'request failed')
    assert.ok(line)
    assert.equal(line.level, 'warn')
    assert.equal(line.fields['requestId'], 'req-deny-1')
    assert.equal(line.fields['type'], upstreamError('PolicyDeny').type)
    assert.match(String(line.fields['policyDigest']), /^[0-9a-f]{64}$/)
    const explanation = String(line.fields['explanation'])
    assert.match(explanation, /^data\.policy\.allow = false \(default at resource-policy\.rego:3\); /)
    assert.match(
      explanation,
      /body resource-policy\.rego:5 failed at resource-policy\.rego:8 `every _, submod in input/,
    )
    assert.ok(explanation.includes('input.submods.cpu0["ear.status"] = "warning"'), explanation)
  })

  it('explains a custom policy on the claims it reads, and a policy that allows logs nothing extra', async () => {
    const kbs = await kbsFixture()
    const token = await kbs.adminToken({ role: 'admin' })
    const policy =
      'package policy\nallow if {\n  input.submods.cpu0["ear.status"] == "affirming"\n  data.query.v == "2"\n}\n'
    const set = await kbs.app.request('/kbs/v0/resource-policy', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ policy: Buffer.from(policy).toString('base64url') }),
    })
    assert.equal(set.status, 200)
    const upload = await kbs.app.request('/kbs/v0/resource/default/key/one', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: 'secret',
    })
    assert.equal(upload.status, 200)
    const denied = await kbs.app.request('/kbs/v0/resource/default/key/one?v=1', {
      headers: { authorization: 'Bearer affirming-token' },
    })
    assert.equal(denied.status, 401)
    const line = kbs.logged.find((l) => l.message === 'request failed')
    assert.equal(
      line?.fields['explanation'],
      'data.policy.allow = undefined; body resource-policy.rego:2 failed at resource-policy.rego:4 `data.query.v == "2"` with data.query.v = "1"',
    )
    const before = kbs.logged.length
    const allowed = await kbs.app.request('/kbs/v0/resource/default/key/one?v=2', {
      headers: { authorization: 'Bearer affirming-token' },
    })
    assert.equal(allowed.status, 200)
    assert.deepEqual(
      kbs.logged.slice(before).map((l) => [l.level, l.message]),
      [['info', 'request']],
    )
  })

  it('/attest logs the attestation service explanation at info with request and session id', async () => {
    const explanation = {
      submods: {
        cpu0: {
          policyId: 'default_cpu',
          status: 'contraindicated',
          trustClaimsUndefined: false,
          trustClaims: {
            hardware: { value: 2, source: 'rule' },
            executables: { value: 33, source: 'rule' },
            configuration: { value: 0, source: 'unset' },
          },
          referenceValues: [{ id: 'svn', status: 'found' }],
          sampleTeeGate: 'sample evidence comes from no real TEE',
        },
      },
    }
    const kbs = await kbsFixture({ explanation })
    const authed = await kbs.app.request('/kbs/v0/auth', { method: 'POST', body: JSON.stringify(AUTH_BODY) })
    const { nonce } = (await authed.json()) as { nonce: string }
    const cookie = (authed.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const attested = await kbs.app.request('/kbs/v0/attest', {
      method: 'POST',
      headers: { cookie, 'x-request-id': 'req-attest-1' },
      body: JSON.stringify({
        'init-data': null,
        'runtime-data': { nonce, 'tee-pubkey': kbs.teePubKey },
        'tee-evidence': { primary_evidence: {}, additional_evidence: '' },
      }),
    })
    assert.equal(attested.status, 200)
    const line = kbs.logged.find((l) => l.message === 'attestation appraised')
    assert.deepEqual(line, {
      level: 'info',
      message: 'attestation appraised',
      fields: {
        requestId: 'req-attest-1',
        session: sessionLogId(cookie.slice('kbs-session-id='.length)),
        summary:
          'cpu0: contraindicated by default_cpu; hardware=97 (sample TEE gate), executables=33 (rule); reference values: svn=found',
      },
    })
  })
})
