import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { compile } from '../index.ts'
import { RegoError } from '../errors.ts'
import { fromJS } from '../value/json.ts'
import type { Value } from '../value/value.ts'
import { assertRegoEqual } from './assert-value.ts'
import { compileFixtures, FIXTURE, readFixture } from './fixtures.ts'
import { sampleClaims } from './tee-claims.ts'

/** The request names a `default X := true/false` agent policy lists, read from its text. */
function defaultRules(text: string): Map<string, boolean> {
  const out = new Map<string, boolean>()
  for (const m of text.matchAll(/^default (\w+) := (true|false)$/gm)) out.set(m[1] as string, m[2] === 'true')
  return out
}

// The Kata agent adds `data = {"pstate": {}}` and evaluates `data.agent_policy.<Request>`.
const AGENT_DATA = fromJS({ pstate: {} })

describe('Kata agent default policies (src/kata-opa, integration tests, coco-pattern)', () => {
  const agentPolicies = [
    `${FIXTURE.kataOpaDir}allow-all.rego`,
    `${FIXTURE.kataOpaDir}allow-all-except-exec-process.rego`,
    `${FIXTURE.kataOpaDir}allow-set-policy.rego`,
    'kata-containers/tests/integration/kubernetes/runtimeclass_workloads/k8s-policy-set-keys.rego',
    'coco-pattern/charts/coco-supported/hello-openshift/templates/insecure-policy-pod.agent-policy.decoded.rego',
  ]
  for (const file of agentPolicies) {
    test(`${file}: every listed request has its default`, () => {
      const expected = defaultRules(readFixture(file))
      assert.ok(expected.size > 0)
      const policy = compileFixtures([file])
      for (const [request, allowed] of expected) {
        const input = fromJS({ container_id: 'c1', exec_id: 'e1' })
        assert.equal(policy.evalRule(`data.agent_policy.${request}`, { input, data: AGENT_DATA }), allowed, request)
      }
    })
  }

  test('allow-all-except-exec-process denies exactly ExecProcessRequest', () => {
    const rules = defaultRules(readFixture(`${FIXTURE.kataOpaDir}allow-all-except-exec-process.rego`))
    assert.deepEqual(
      [...rules].filter(([, v]) => !v).map(([k]) => k),
      ['ExecProcessRequest'],
    )
    const policy = compileFixtures([`${FIXTURE.kataOpaDir}allow-all-except-exec-process.rego`])
    assert.equal(policy.evalRule('data.agent_policy.ExecProcessRequest', { data: AGENT_DATA }), false)
    assert.equal(policy.evalRule('data.agent_policy.CreateContainerRequest', { data: AGENT_DATA }), true)
  })

  test('allow-set-policy has no rule for other requests: "not a valid rule path"', () => {
    const policy = compileFixtures([`${FIXTURE.kataOpaDir}allow-set-policy.rego`])
    assert.equal(policy.evalRule('data.agent_policy.SetPolicyRequest', { data: AGENT_DATA }), true)
    assert.throws(
      () => policy.evalRule('data.agent_policy.CreateContainerRequest', { data: AGENT_DATA }),
      (e: unknown) => e instanceof RegoError && e.code === 'invalid_argument',
    )
  })

  test('k8s-policy-set-keys: the object constant', () => {
    const policy = compileFixtures([
      'kata-containers/tests/integration/kubernetes/runtimeclass_workloads/k8s-policy-set-keys.rego',
    ])
    assertRegoEqual(policy.evalRule('data.agent_policy.my_test_data', {}), {
      default: { key: { 'ssh-demo': 'HUlOu8NWz8si11OZUzUJMnjiq/iZyHBJZMSD3BaqgMc=', enabled: false } },
      key1: ['abc', '9876', 'xyz'],
      key2: 45,
    })
    const r = policy
      .prepareQuery(
        'x := data.agent_policy.my_test_data.key1[1]; y := data.agent_policy.my_test_data.default.key["ssh-demo"]',
      )
      .eval()
    assert.equal(r.length, 1)
    const [first] = r
    assert.ok(first)
    assert.equal(first.get('x'), '9876')
    assert.equal(first.get('y'), 'HUlOu8NWz8si11OZUzUJMnjiq/iZyHBJZMSD3BaqgMc=')
  })
})

describe('coco-pattern resource-policy (Rego v0, pre-regorus Trustee with OPA)', () => {
  const file = 'coco-pattern/charts/hub/trustee/templates/resource-policy.extracted.rego'

  test('compiled as v0: allows any non-sample tee', () => {
    const policy = compileFixtures([file], { regoVersion: 0 })
    const allow = (input?: Value): Value | undefined =>
      policy.evalRule('data.policy.allow', input === undefined ? {} : { input })
    assert.equal(allow(fromJS({ tee: 'tdx' })), true)
    assert.equal(allow(fromJS({ tee: 'snp' })), true)
    assert.equal(allow(fromJS({ tee: 'sample' })), false)
    assert.equal(allow(fromJS({})), false)
    assert.equal(allow(), false)
  })

  test('the per-module regoVersion override works too', () => {
    const policy = compile([{ name: file, text: readFixture(file), regoVersion: 0 }])
    assert.equal(policy.evalRule('data.policy.allow', { input: fromJS({ tee: 'snp' }) }), true)
  })

  test('a v1 parser rejects it', () => {
    assert.throws(
      () => compileFixtures([file]),
      (e: unknown) => e instanceof RegoError && e.code === 'rego_parse_error',
    )
  })

  test('the ConfigMap YAML carries exactly the extracted policy', () => {
    const yaml = readFixture('coco-pattern/charts/hub/trustee/templates/resource-policy.yaml')
    const block = yaml.split('policy.rego: |\n')[1] ?? ''
    const text = block
      .split('\n')
      .map((l) => l.replace(/^ {4}/, ''))
      .join('\n')
    assert.equal(text.trim(), readFixture(file).trim())
  })
})

describe('historical Trustee policies', () => {
  const h = 'trustee/_historical/'
  const kbsDefaults = [
    `${h}8d32af905c98b90ba200d292ec146dc1203124f8/kbs/config/kubernetes/base/policy.rego`,
    `${h}ab4786bae595df134c55ee7c25fbeff9cd1d7172/kbs/src/policy/resource-policy.rego`,
    `${h}89171021abf646b25bdd49b30e9d6bc8fb0fd69a/kbs/src/policy_engine/opa/default_policy.rego`,
  ]
  const nonSample = fromJS({ submods: { cpu0: { 'ear.veraison.annotated-evidence': { snp: { measurement: 'ab' } } } } })
  const sample = fromJS({ submods: { cpu0: { 'ear.veraison.annotated-evidence': sampleClaims() } } })
  const resource = fromJS({ plugin: 'resource', 'resource-path': ['default', 'key', 'k1'], query: {} })

  for (const file of kbsDefaults) {
    test(`${file.split('/').slice(2).join('/')}: like today's default`, () => {
      const policy = compileFixtures([file])
      assert.equal(policy.evalRule('data.policy.allow', { input: nonSample, data: resource }), true)
      assert.equal(policy.evalRule('data.policy.allow', { input: sample, data: resource }), false)
      assert.equal(policy.evalRule('data.policy.allow', { input: nonSample, data: fromJS({ plugin: 'x' }) }), false)
    })
  }

  test('kubernetes/ita/policy.rego: non-sample attester type', () => {
    const policy = compileFixtures([
      `${h}8d32af905c98b90ba200d292ec146dc1203124f8/kbs/config/kubernetes/ita/policy.rego`,
    ])
    assert.equal(
      policy.evalRule('data.policy.allow', { input: fromJS({ tdx: { attester_type: 'tdx' } }), data: resource }),
      true,
    )
    assert.equal(
      policy.evalRule('data.policy.allow', { input: fromJS({ tdx: { attester_type: 'sample' } }), data: resource }),
      false,
    )
    assert.equal(policy.evalRule('data.policy.allow', { input: fromJS({}), data: resource }), false)
  })

  for (const regoVersion of [0, 1] as const) {
    test(`token/simple_default_policy.rego (v${regoVersion}): every input claim must match its reference`, () => {
      const policy = compileFixtures(
        [`${h}e50c2c27f2492aa24a6726b0480a54dd2b6ef759/attestation-service/src/token/simple_default_policy.rego`],
        {
          regoVersion,
        },
      )
      const result = (input: unknown, reference: unknown): Value | undefined =>
        policy.evalRule('data.policy.result', { input: fromJS(input), data: fromJS({ reference }) })
      const reference = { 'tdx.quote.body.mr_td': ['aa', 'bb'], 'tdx.quote.header.tee_type': '81000000', anything: [] }
      assert.equal(
        result({ 'tdx.quote.body.mr_td': 'bb', 'tdx.quote.header.tee_type': '81000000', other: 1 }, reference),
        true,
      )
      assert.equal(result({ 'tdx.quote.body.mr_td': 'cc' }, reference), false)
      assert.equal(result({ 'tdx.quote.header.tee_type': '00000000' }, reference), false)
      assert.equal(result({ anything: 'whatever' }, reference), true)
      assert.equal(result({}, reference), true)
    })
  }
})

describe('AS test policies and the CCA verifier policy', () => {
  const t = 'trustee/attestation-service/tests/'

  test('coco-as example-1 (flattened sgx claims)', () => {
    const policy = compileFixtures([`${t}coco-as/policy/example-1.rego`])
    const input = fromJS({
      'sgx.body.mr_enclave': '8f173e4613ff05c52aaf04162d234edae8c9977eae47eb2299ae16a553011c68',
      'sgx.body.mr_signer': '83d719e77deaca1470f6baf62a4d774303c899db69020f9c70ee1dfc08c7ce9e',
    })
    assert.equal(policy.evalRule('data.policy.executables', { input }), 3)
    assert.equal(policy.evalRule('data.policy.executables', { input: fromJS({ 'sgx.body.mr_enclave': 'x' }) }), 33)
  })

  test('coco-as example-2 (flattened tdx claims)', () => {
    const policy = compileFixtures([`${t}coco-as/policy/example-2.rego`])
    const input = fromJS({
      'tdx.quote.body.mr_td':
        '705ee9381b8633a9fbe532b52345e8433343d2868959f57889d84ca377c395b689cac1599ccea1b7d420483a9ce5f031',
      'tdx.quote.body.mr_seam':
        '2fd279c16164a93dd5bf373d834328d46008c2b693af9ebb865b08b2ced320c9a89b4869a9fab60fbe9d0c5a5363c656',
      'tdx.ccel.kernel':
        '5b7aa6572f649714ff00b6a2b9170516a068fd1a0ba72aa8de27574131d454e6396d3bfa1727d9baf421618a942977fa',
    })
    assert.equal(policy.evalRule('data.policy.executables', { input }), 3)
  })

  test('coco-as example-3: sprintf("%v") of a numeric se.version', () => {
    const policy = compileFixtures([`${t}coco-as/policy/example-3.rego`])
    const input = {
      'se.version': 256,
      'se.user_data': '00',
      'se.tag': '773780962a7350165054673b6c54235d',
      'se.image_phkh': '92d0aff6eb86719b6b1ea0cb98d2c99ff2ec693df3efff2158f54112f6961508',
      'se.attestation_phkh': '92d0aff6eb86719b6b1ea0cb98d2c99ff2ec693df3efff2158f54112f6961508',
    }
    assert.equal(policy.evalRule('data.policy.converted_version', { input: fromJS(input) }), '256')
    assert.equal(policy.evalRule('data.policy.executables', { input: fromJS(input) }), 3)
    assert.equal(policy.evalRule('data.policy.executables', { input: fromJS({ ...input, 'se.version': 255 }) }), 33)
  })

  test('coco-as new_policy: allow by default', () => {
    assert.equal(compileFixtures([`${t}coco-as/policy/new_policy.rego`]).evalRule('data.policy.allow', {}), true)
  })

  test('ear_no_rv_policy_cpu: truthiness only (0 is truthy)', () => {
    const policy = compileFixtures([`${t}coco-as/policy/opa/ear_no_rv_policy_cpu.rego`])
    const claims = sampleClaims()
    const sample = claims['sample'] as Record<string, unknown>
    sample['platform_version'] = { major: 0, minor: 0 }
    assertRegoEqual(policy.evalRule('data.policy.trust_claims', { input: fromJS(claims) }), {
      executables: 3,
      hardware: 2,
      configuration: 2,
      'file-system': 0,
      'instance-identity': 0,
      'runtime-opaque': 0,
      'storage-opaque': 0,
      'sourced-data': 0,
    })
  })

  test('tests/policy/ear_sample.rego: reference values from data.reference', () => {
    const policy = compileFixtures([`${t}policy/ear_sample.rego`])
    const data = fromJS({
      reference: { launch_digest: ['abcde'], svn: ['1'], major_version: 1, minimum_minor_version: 4 },
    })
    const claims = policy.evalRule('data.policy.trust_claims', { input: fromJS(sampleClaims()), data })
    assertRegoEqual(claims, {
      executables: 3,
      hardware: 2,
      configuration: 36,
      'file-system': 0,
      'instance-identity': 0,
      'runtime-opaque': 0,
      'storage-opaque': 0,
      'sourced-data': 0,
    })
  })

  test('CCA verifier default.rego', () => {
    const policy = compileFixtures(['trustee/deps/verifier/test_data/cca/conf/default.rego'])
    const rim = 'a'.repeat(64)
    const input = fromJS({ cca: { realm: { 'cca-realm-initial-measurement': rim } } })
    const vector = (executables: number): Record<string, number> => ({
      hardware: 2,
      'instance-identity': 2,
      'runtime-opaque': 2,
      executables,
      configuration: 36,
    })
    const data = fromJS({ reference: { 'cca.realm.cca-realm-initial-measurement': [rim] } })
    assertRegoEqual(policy.evalRule('data.policy.trust_claims', { input, data }), vector(3))
    assertRegoEqual(policy.evalRule('data.policy.trust_claims', { input }), vector(33))
  })
})
