import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { CompiledPolicy, EvalOptions } from '../api.ts'
import { fromJS } from '../value/json.ts'
import { toRegoText } from '../value/rego-text.ts'
import { RegoObject, type Value } from '../value/value.ts'
import { assertRegoEqual } from './assert-value.ts'
import { AFFIRMING_VECTOR, earTokenClaims, resourceRequestData, tdxEarToken } from './ear-token.ts'
import { compileFixtures, FIXTURE, readFixtureJson } from './fixtures.ts'
import { azSnpVtpmClaims, sampleClaims, snpClaims } from './tee-claims.ts'

/**
 * The KBS resource policy contract (Trustee `kbs`, regorus, Rego v1): evaluate rule
 * `data.policy.allow`; input = the EAR token claims; data = plugin, resource-path, query.
 * A missing rule or a non-boolean value means deny.
 */
function kbsAllows(policy: CompiledPolicy, options: EvalOptions): boolean {
  const v = policy.evalRule('data.policy.allow', options)
  return v === true
}

const secretKey = resourceRequestData(['default', 'key', 'secret'])

describe('KBS sample_policies/default.rego', () => {
  const policy = compileFixtures([FIXTURE.kbsDefault])

  test('a TDX token gets a resource', () => {
    assert.equal(policy.evalRule('data.policy.allow', { input: tdxEarToken(), data: secretKey }), true)
  })

  test('the decision does not depend on ear.status (any non-sample TEE)', () => {
    assert.equal(kbsAllows(policy, { input: tdxEarToken('contraindicated'), data: secretKey }), true)
  })

  test('sample evidence is denied', () => {
    const input = earTokenClaims({ cpu0: { status: 'affirming', evidence: sampleClaims() } })
    assert.equal(policy.evalRule('data.policy.allow', { input, data: secretKey }), false)
  })

  test('another plugin is denied', () => {
    const data = resourceRequestData(['para', 'meters'], 'plugin1', { version: '1.0.0' })
    assert.equal(policy.evalRule('data.policy.allow', { input: tdxEarToken(), data }), false)
  })

  test('plugin mirrors data.plugin; no input at all still lets `not` succeed', () => {
    assert.equal(policy.evalRule('data.policy.plugin', { data: secretKey }), 'resource')
    assert.equal(policy.evalRule('data.policy.allow', { data: secretKey }), true)
  })

  test('without data the rule is the default false', () => {
    assert.equal(policy.evalRule('data.policy.allow', { input: tdxEarToken() }), false)
  })

  test('rulePaths lists the rules', () => {
    assert.ok(policy.rulePaths.includes('data.policy.allow'))
    assert.ok(policy.rulePaths.includes('data.policy.plugin'))
  })

  test('a prepared query gives the same answer', () => {
    const results = policy.prepareQuery('data.policy.allow == true').eval({ input: tdxEarToken(), data: secretKey })
    assert.equal(results.length, 1)
  })
})

describe('KBS sample_policies allow_all / deny_all', () => {
  test('allow_all allows the resource plugin only', () => {
    const policy = compileFixtures([FIXTURE.kbsAllowAll])
    const sample = earTokenClaims({ cpu0: { status: 'none', evidence: sampleClaims() } })
    assert.equal(policy.evalRule('data.policy.allow', { input: sample, data: secretKey }), true)
    const other = resourceRequestData([], 'abc')
    assert.equal(policy.evalRule('data.policy.allow', { input: sample, data: other }), false)
  })

  test('deny_all denies everything', () => {
    const policy = compileFixtures([FIXTURE.kbsDenyAll])
    assert.equal(policy.evalRule('data.policy.allow', { input: tdxEarToken(), data: secretKey }), false)
    assert.deepEqual(policy.rulePaths, ['data.policy.allow'])
  })
})

describe('KBS sample_policies/affirming.rego', () => {
  const policy = compileFixtures([FIXTURE.kbsAffirming])
  const allow = (input: Value): Value | undefined => policy.evalRule('data.policy.allow', { input, data: secretKey })

  test('one affirming submod is allowed', () => {
    assert.equal(allow(tdxEarToken('affirming')), true)
  })

  test('every submod must be affirming', () => {
    const ok = earTokenClaims({
      cpu0: { status: 'affirming', evidence: snpClaims() },
      gpu0: { status: 'affirming', evidence: { nvidia: { measres: 'success' } }, policyId: 'default_gpu' },
    })
    assert.equal(allow(ok), true)
    const oneWarning = earTokenClaims({
      cpu0: { status: 'affirming', evidence: azSnpVtpmClaims() },
      gpu0: {
        status: 'warning',
        vector: { ...AFFIRMING_VECTOR, configuration: 36 },
        evidence: { nvidia: {} },
        policyId: 'default_gpu',
      },
    })
    assert.equal(allow(oneWarning), false)
    assert.equal(policy.evalRule('data.policy.any_not_affirming', { input: oneWarning }), true)
  })

  test('contraindicated and none are denied', () => {
    assert.equal(allow(tdxEarToken('contraindicated')), false)
    assert.equal(allow(tdxEarToken('none')), false)
  })

  test('no submods is denied (count > 0), missing submods too', () => {
    assert.equal(allow(fromJS({ submods: {} })), false)
    assert.equal(allow(fromJS({})), false)
    assert.equal(policy.evalRule('data.policy.allow', {}), false)
  })
})

describe('policy-engine test_data/cases.json (12 upstream rstest cases)', () => {
  const spec = readFixtureJson(`${FIXTURE.policyEngineDir}cases.json`)
  assert.ok(spec instanceof RegoObject)
  const cases = spec.get('cases')
  assert.ok(Array.isArray(cases))
  assert.equal(cases.length, 12)

  /** Fill the template: productId = the case name, svn = the case svn (a number). */
  function inputFor(name: Value, svn: Value): Value {
    return fromJS({
      submods: {
        cpu0: {
          'ear.trustworthiness-vector': { executables: 2, hardware: 3 },
          'ear.veraison.annotated-evidence': { sample: { productId: name, svn } },
        },
      },
    })
  }

  cases.forEach((c, i) => {
    assert.ok(c instanceof RegoObject)
    const policyFile = c.get('policy') as string
    const expected = c.get('allow')
    const label = `${policyFile} name ${toRegoText(c.get('name') ?? null)} svn ${toRegoText(c.get('svn') ?? null)}`
    test(`case ${i + 1}: ${label} → ${toRegoText(expected ?? null)}`, () => {
      const policy = compileFixtures([`${FIXTURE.policyEngineDir}${policyFile}`])
      const input = inputFor(c.get('name') ?? null, c.get('svn') ?? null)
      const data = c.get('data') ?? null
      assert.equal(policy.evalRule('data.policy.allow', { input, data }), expected)
    })
  })

  test('policy_5 grants a resource when the svn meets the minimum', () => {
    const policy = compileFixtures([`${FIXTURE.policyEngineDir}policy_5.rego`])
    const data = (name: string): Value => resourceRequestData(['myrepo', 'secret', name])
    assert.equal(policy.evalRule('data.policy.allow', { input: inputFor('n', 2), data: data('secret1') }), true)
    assert.equal(policy.evalRule('data.policy.allow', { input: inputFor('n', 3), data: data('secret2') }), true)
    assert.equal(policy.evalRule('data.policy.allow', { input: inputFor('n', 4), data: data('secret3') }), false)
    assertRegoEqual(policy.evalRule('data.policy.resources', {}), { secret1: 2, secret2: 3 })
  })

  test('policy_2 allows by default; policy_4 input_tcb is undefined without tcb-status', () => {
    const p2 = compileFixtures([`${FIXTURE.policyEngineDir}policy_2.rego`])
    assert.equal(p2.evalRule('data.policy.allow', {}), true)
    const p4 = compileFixtures([`${FIXTURE.policyEngineDir}policy_4.rego`])
    assert.equal(p4.evalRule('data.policy.input_tcb', { input: inputFor('Alice', 1) }), undefined)
    assertRegoEqual(p4.evalRule('data.policy.input_tcb', { input: fromJS({ 'tcb-status': { svn: 1 } }) }), { svn: 1 })
  })
})
