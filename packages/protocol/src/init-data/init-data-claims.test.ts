import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { readFixtureText } from '../fixture-path.ts'
import { extractPolicyData, initDataClaims } from './init-data-claims.ts'
import { parseInitData } from './init-data-document.ts'

const doc = (data: Record<string, string>) => ({ version: '0.1.0', algorithm: 'sha256' as const, data })

describe('initDataClaims', () => {
  it('parses aa.toml and cdh.toml of the example and keeps a policy without policy_data', () => {
    const text = readFixtureText('derived/initdata/example-sha384.toml')
    const claims = initDataClaims(parseInitData(text))
    assert.deepEqual(claims['aa.toml'], { token_configs: { kbs: { url: 'http://10.0.0.1:8080' } } })
    assert.deepEqual(claims['cdh.toml'], {
      socket: 'unix:///run/confidential-containers/cdh.sock',
      credentials: [],
      kbc: { name: 'cc_kbc', url: 'http://10.0.0.1:8080' },
      image: { image_security_policy_uri: 'kbs:///default/security-policy/test' },
    })
    assert.equal(typeof claims['policy.rego'], 'string')
    assert.equal(claims['agent_policy_claims'], undefined)
  })

  it("replaces Trustee's policy.rego by agent_policy_claims", () => {
    const claims = initDataClaims(parseInitData(readFixtureText('upstream-trustee/init-data-with-policy.toml')))
    assert.equal(claims['policy.rego'], undefined)
    const policy = claims['agent_policy_claims'] as {
      containers: { OCI: { Process: { Args: string[] }; Annotations: Record<string, string> } }[]
    }
    // What Trustee's integration test (init_data.rs) checks through the resource policy.
    const nginx = policy.containers[1]
    assert.ok(nginx)
    assert.equal(nginx.OCI.Process.Args[0], '/opt/bitnami/scripts/nginx/entrypoint.sh')
    assert.equal(nginx.OCI.Annotations['io.kubernetes.cri.image-name'], 'bitnami/nginx:latest')
  })

  it('leaves unparsable TOML entries as text and other entries untouched', () => {
    const claims = initDataClaims(doc({ 'aa.toml': 'not = = toml', 'cdh.toml': 'x = 1', other: 'y = 2' }))
    assert.deepEqual(claims, { 'aa.toml': 'not = = toml', 'cdh.toml': { x: 1 }, other: 'y = 2' })
  })

  it('maps TOML datetimes, big integers and non-finite floats as serde does (approximately)', () => {
    const claims = initDataClaims(doc({ 'aa.toml': 'd = 1979-05-27T07:32:00Z\nf = inf\nn = 9007199254740993\n' }))
    assert.deepEqual(claims['aa.toml'], {
      d: { $__toml_private_datetime: '1979-05-27T07:32:00.000Z' },
      f: null,
      n: 9007199254740992,
    })
  })
})

describe('extractPolicyData', () => {
  it('parses the JSON after the first policy_data := {', () => {
    assert.deepEqual(extractPolicyData('package p\n\npolicy_data := {\n  "a": [1, 2]\n}\n'), { a: [1, 2] })
  })

  it('gives undefined when absent, not last, or not JSON', () => {
    assert.equal(extractPolicyData('package p\ndefault allow := true\n'), undefined)
    assert.equal(extractPolicyData('policy_data := {"a": 1}\nallow := true\n'), undefined)
    assert.equal(extractPolicyData('policy_data := {a: 1}'), undefined)
    assert.equal(extractPolicyData('policy_data = {"a": 1}'), undefined)
  })
})
