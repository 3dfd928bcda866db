import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { exportTeePubKey, generateTeeKeyPair } from '@carapace/protocol'
import { createMemoryStorage } from '@carapace/storage'
import { createKbsApp } from './app.ts'

describe('replicas sharing storage', () => {
  it('serves /auth on one replica and /attest on another; racing attests store one token', async () => {
    const storage = createMemoryStorage()
    let issued = 0
    const replica = () =>
      createKbsApp({
        storage,
        admin: { authorize: () => Promise.resolve() },
        tokenVerifier: { verify: () => Promise.resolve({}) },
        attestation: {
          evaluate: () => {
            issued += 1
            return Promise.resolve({ token: `token-${String(issued)}` })
          },
        },
      })
    const [first, second] = [replica(), replica()]
    const authed = await first.request('/kbs/v0/auth', {
      method: 'POST',
      body: JSON.stringify({ version: '0.4.0', tee: 'sample', 'extra-params': '' }),
    })
    const { nonce } = (await authed.json()) as { nonce: string }
    const cookie = (authed.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const body = JSON.stringify({
      'runtime-data': { nonce, 'tee-pubkey': exportTeePubKey(generateTeeKeyPair('EC-P256')) },
      'tee-evidence': { primary_evidence: {}, additional_evidence: '' },
    })
    const answers = await Promise.all(
      [first, second].map(async (app) => {
        const response = await app.request('/kbs/v0/attest', { method: 'POST', headers: { cookie }, body })
        assert.equal(response.status, 200)
        return ((await response.json()) as { token: string }).token
      }),
    )
    assert.equal(answers[0], answers[1])
    const id = cookie.slice('kbs-session-id='.length)
    const stored = JSON.parse(Buffer.from((await storage.get('kbs_protocol_session', id)) ?? []).toString()) as {
      Attested: { token: string }
    }
    assert.equal(stored.Attested.token, answers[0])
  })
})
