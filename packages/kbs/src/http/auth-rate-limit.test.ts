import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createMemoryStorage } from '@carapace/storage'
import { createAdminAuthorizer } from '../admin/admin-authorizer.ts'
import { createKbsApp } from './app.ts'
import type { KbsLogger } from './kbs-logger.ts'

const AUTH_BODY = JSON.stringify({ version: '0.4.0', tee: 'sample', 'extra-params': '' })

async function limitedApp(now: () => Date, logger: KbsLogger) {
  return createKbsApp({
    storage: createMemoryStorage(),
    admin: await createAdminAuthorizer({ authorizationMode: 'DenyAll', identityProviders: [], acls: [] }),
    tokenVerifier: { verify: () => Promise.reject(new Error('unused')) },
    attestation: { evaluate: () => Promise.reject(new Error('unused')) },
    now,
    logger,
    authRateLimit: { perSecond: 1, burst: 2 },
  })
}

/** The bindings @hono/node-server hands the app: the peer address is read from the socket. */
const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } })

describe('[http_server] auth_rate_limit_per_second / auth_rate_limit_burst', () => {
  it('answers 429 with retry-after and a KBS error body once a client used its burst; others are unaffected', async () => {
    let clock = new Date('2026-01-01T00:00:00Z')
    const lines: Array<{ message: string; fields: Readonly<Record<string, string | number>> }> = []
    const app = await limitedApp(() => clock, { log: (_level, message, fields) => lines.push({ message, fields }) })
    const auth = (address: string) =>
      app.request(
        '/kbs/v0/auth',
        { method: 'POST', body: AUTH_BODY, headers: { 'x-request-id': 'req-1' } },
        from(address),
      )
    assert.equal((await auth('192.0.2.1')).status, 200)
    assert.equal((await auth('::ffff:192.0.2.1')).status, 200)
    const limited = await auth('192.0.2.1')
    assert.equal(limited.status, 429)
    assert.equal(limited.headers.get('retry-after'), '1')
    assert.equal(limited.headers.get('x-request-id'), 'req-1')
    const body = (await limited.json()) as { type: string; detail: string }
    assert.equal(body.type, 'https://github.com/confidential-containers/kbs/errors/HTTPFailed')
    assert.match(body.detail, /too many \/auth requests from 192\.0\.2\.1: retry in 1 s/)
    assert.ok(lines.some((l) => l.message === 'auth rate limit exceeded' && l.fields['requestId'] === 'req-1'))
    assert.equal((await auth('192.0.2.2')).status, 200)
    // Only /auth is limited: the same client still reaches the other endpoints.
    const attest = await app.request('/kbs/v0/attest', { method: 'POST', body: '{}' }, from('192.0.2.1'))
    assert.notEqual(attest.status, 429)
    clock = new Date(clock.getTime() + 1_000)
    assert.equal((await auth('192.0.2.1')).status, 200)
    assert.equal((await auth('192.0.2.1')).status, 429)
  })
})
