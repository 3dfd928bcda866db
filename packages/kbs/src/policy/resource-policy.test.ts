import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createMemoryStorage } from '@carapace/storage'
import {
  checkResourcePolicy,
  installDefaultResourcePolicy,
  listResourcePolicies,
  setResourcePolicy,
} from './resource-policy.ts'

const encode = (text: string): string => Buffer.from(text).toString('base64url')

describe('resource policy', () => {
  it('sees the claims as input and plugin, resource-path and query as data', async () => {
    const storage = createMemoryStorage()
    await setResourcePolicy(storage, {
      policy: encode(`package policy
default allow := false
allow if {
  data.plugin == "resource"
  data["resource-path"] == ["default", "key", "one"]
  data.query.version == "2"
  input.tee == "snp"
}
`),
    })
    const request = { plugin: 'resource', resourcePath: ['default', 'key', 'one'], query: { version: '2' } }
    await checkResourcePolicy(storage, { tee: 'snp' }, request)
    await assert.rejects(checkResourcePolicy(storage, { tee: 'tdx' }, request), { code: 'POLICY_DENY' })
    await assert.rejects(checkResourcePolicy(storage, { tee: 'snp' }, { ...request, query: {} }), {
      code: 'POLICY_DENY',
    })
  })

  it('a non-boolean allow denies; the default needs every submodule affirming', async () => {
    const storage = createMemoryStorage()
    const request = { plugin: 'resource', resourcePath: ['a', 'b', 'c'], query: {} }
    const affirming = { submods: { cpu0: { 'ear.status': 'affirming' }, gpu0: { 'ear.status': 'affirming' } } }
    await checkResourcePolicy(storage, affirming, request)
    const mixed = { submods: { cpu0: { 'ear.status': 'affirming' }, gpu0: { 'ear.status': 'warning' } } }
    await assert.rejects(checkResourcePolicy(storage, mixed, request), { code: 'POLICY_DENY' })
    await assert.rejects(checkResourcePolicy(storage, { submods: {} }, request), { code: 'POLICY_DENY' })
    await installDefaultResourcePolicy(storage)
    assert.deepEqual(await listResourcePolicies(storage), ['resource-policy'])
    await setResourcePolicy(storage, { policy: encode('package policy\nallow := "yes"\n') })
    await assert.rejects(checkResourcePolicy(storage, affirming, request), { code: 'POLICY_DENY' })
  })
})
