import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createMemoryStorage } from '@carapace/storage'
import { compiledResourcePolicy } from './compiled-policy-cache.ts'
import { DEFAULT_RESOURCE_POLICY } from './default-resource-policy.ts'
import { formatRuleExplanation, PolicyDenyError } from './policy-deny-error.ts'
import { checkResourcePolicy } from './resource-policy.ts'

describe('compiled resource policy cache', () => {
  it('compiles a policy text once and keeps it while other texts come and go', () => {
    const first = compiledResourcePolicy(DEFAULT_RESOURCE_POLICY)
    assert.equal(compiledResourcePolicy(DEFAULT_RESOURCE_POLICY), first)
    for (let i = 0; i < 7; i += 1) compiledResourcePolicy(`package policy\nallow := ${String(i)}\n`)
    assert.equal(compiledResourcePolicy(DEFAULT_RESOURCE_POLICY).policy, first.policy)
    assert.equal(first.explainer(), first.explainer())
    assert.throws(
      () => compiledResourcePolicy('package policy\nallow if {'),
      (error: Error) => {
        assert.equal((error as { code?: string }).code, 'POLICY_ENGINE')
        assert.match(error.message, /^invalid resource policy: resource-policy\.rego:2: rego_parse_error/)
        return true
      },
    )
  })

  it('a deny carries the explanation and the digest of the policy that denied', async () => {
    const storage = createMemoryStorage()
    const claims = { submods: { cpu0: { 'ear.status': 'affirming' }, gpu0: { 'ear.status': 'contraindicated' } } }
    const request = { plugin: 'resource', resourcePath: ['a', 'b', 'c'], query: {} }
    const denial = await checkResourcePolicy(storage, claims, request).then(
      () => assert.fail('allowed'),
      (error: unknown) => error,
    )
    assert.ok(denial instanceof PolicyDenyError)
    assert.equal(denial.code, 'POLICY_DENY')
    assert.equal(denial.message, 'Resource policy denied the request')
    assert.equal(denial.policyDigest, compiledResourcePolicy(DEFAULT_RESOURCE_POLICY).digest)
    assert.ok(denial.explanation)
    assert.equal(
      formatRuleExplanation(denial.explanation),
      'data.policy.allow = false (default at resource-policy.rego:3); body resource-policy.rego:5 failed at ' +
        'resource-policy.rego:8 `every _, submod in input.submods {` with ' +
        'input.submods.cpu0["ear.status"] = "affirming", input.submods.gpu0["ear.status"] = "contraindicated"',
    )
  })
})
