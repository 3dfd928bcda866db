import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { after, before, describe, it } from 'node:test'
import { mintAdminToken } from '@carapace/kbs-client'
import { upstreamErrorType, type WireResponse } from './support/kbs-wire.ts'
import { sampleReferenceValueMessage } from './support/sample-reference-values.ts'
import { snapshotStorage, storageChanges } from './support/storage-snapshot.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

function assertUpstreamError(response: WireResponse, variant: string, detail?: string | RegExp): void {
  assert.equal(response.status, 401, response.text)
  const body = response.json as { type?: unknown; detail?: unknown }
  assert.equal(body.type, upstreamErrorType(variant), response.text)
  if (typeof detail === 'string') assert.equal(body.detail, detail)
  else if (detail !== undefined) assert.match(String(body.detail), detail)
}

const b64url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url')

/** Every admin write, as raw requests; resource writes report AdminAuthInitialization upstream. */
function adminWrites(plane: TrustPlane, authorization: string | undefined) {
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization }
  return [
    {
      variant: 'AdminAuthInitialization',
      send: () =>
        plane.wire.request('/kbs/v0/resource/default/key/planted', { method: 'POST', headers, body: 'planted' }),
    },
    {
      variant: 'AdminAuthInitialization',
      send: () => plane.wire.request('/kbs/v0/resource/default/key/one', { method: 'DELETE', headers }),
    },
    {
      variant: 'AdminAuthAccess',
      send: () =>
        plane.wire.postJson(
          '/kbs/v0/resource-policy',
          { policy: b64url('package policy\ndefault allow := true\n') },
          headers,
        ),
    },
    {
      variant: 'AdminAuthAccess',
      send: () =>
        plane.wire.postJson(
          '/kbs/v0/attestation-policy',
          { type: 'rego', policy_id: 'default_cpu', policy: b64url('package policy\n') },
          headers,
        ),
    },
    {
      variant: 'AdminAuthAccess',
      send: () => plane.wire.postJson('/kbs/v0/reference-value', sampleReferenceValueMessage('svn', '9'), headers),
    },
    { variant: 'AdminAuthAccess', send: () => plane.wire.request('/kbs/v0/resource-policy', { headers }) },
  ]
}

describe('admin API denials over HTTPS', () => {
  let plane: TrustPlane
  before(async () => {
    plane = await startTrustPlane()
    await plane.admin(await plane.adminToken()).setResource('default/key/one', Buffer.from('kept'))
  })
  after(() => plane.close())

  async function assertDeniedEverywhere(authorization: string | undefined, detail: string | RegExp): Promise<void> {
    const before = await snapshotStorage(plane.storageDir)
    for (const { variant, send } of adminWrites(plane, authorization)) {
      assertUpstreamError(await send(), variant, detail)
    }
    assert.deepEqual(storageChanges(before, await snapshotStorage(plane.storageDir)), [])
    // Still serving, and a good token still works.
    assert.equal((await plane.wire.request('/healthz')).status, 200)
    assert.deepEqual(await plane.admin(await plane.adminToken()).getResourcePolicy(), ['resource-policy'])
  }

  it('refuses a missing admin token', async () => {
    await assertDeniedEverywhere(undefined, 'Admin auth error: no Bearer token')
  })

  it('refuses a token that is not a JWT, and a token signed by another key', async () => {
    await assertDeniedEverywhere('Bearer not-a-jwt', /^Admin auth error: /)
    const foreignKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const foreign = mintAdminToken(foreignKey, { ttlSeconds: 300, now: plane.clock.nowMs })
    await assertDeniedEverywhere(`Bearer ${foreign}`, /^Admin auth error: /)
  })

  it('refuses an expired admin token', async () => {
    const expired = await plane.adminToken({ ttlSeconds: 60, issuedAtMs: plane.clock.nowMs() - 3_600_000 })
    await assertDeniedEverywhere(`Bearer ${expired}`, /^Admin auth error: .*EXPIRED/i)
  })

  it('refuses a role the ACL does not grant', async () => {
    const keyPath = plane.kbs.adminPrivateKeyPath
    assert.ok(keyPath !== undefined)
    const reader = mintAdminToken(await readFile(keyPath, 'utf8'), {
      role: 'reader',
      ttlSeconds: 300,
      now: plane.clock.nowMs,
    })
    await assertDeniedEverywhere(`Bearer ${reader}`, /^Admin auth error: role reader/)
  })
})
