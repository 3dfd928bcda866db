import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { fromJS } from '../value/json.ts'
import { createRuleExplainer } from './explain-rule.ts'

const POLICY = `package policy

default allow := false

allow if {
  data.plugin == "resource"
  count(input.submods) > 0
  every _, submod in input.submods {
    submod["ear.status"] == "affirming"
  }
}

allow if {
  input.tee == "sample"
  data.query.debug == "yes"
}
`

const submods = (cpu: string, gpu: string) => ({
  submods: { cpu0: { 'ear.status': cpu, other: 'x' }, gpu0: { 'ear.status': gpu } },
})

describe('rule explainer', () => {
  const explainer = createRuleExplainer([{ name: 'policy.rego', text: POLICY }], 'data.policy.allow')

  it('names, per body, the first failed expression with its line and the input values it reads', () => {
    const explanation = explainer.explain({
      input: fromJS({ ...submods('affirming', 'contraindicated'), tee: 'snp' }),
      data: fromJS({ plugin: 'resource', query: {} }),
    })
    assert.equal(explanation.rule, 'data.policy.allow')
    assert.equal(explanation.value, 'false')
    assert.equal(explanation.defaultAt, 'policy.rego:3')
    assert.deepEqual(explanation.bodies, [
      {
        location: 'policy.rego:5',
        failed: {
          index: 2,
          location: 'policy.rego:8',
          text: 'every _, submod in input.submods {',
          values: [
            { ref: 'input.submods.cpu0["ear.status"]', value: '"affirming"' },
            { ref: 'input.submods.gpu0["ear.status"]', value: '"contraindicated"' },
          ],
        },
      },
      {
        location: 'policy.rego:13',
        failed: {
          index: 0,
          location: 'policy.rego:14',
          text: 'input.tee == "sample"',
          values: [{ ref: 'input.tee', value: '"snp"' }],
        },
      },
    ])
  })

  it('reports undefined documents and bodies that held', () => {
    const explanation = explainer.explain({
      input: fromJS({ tee: 'sample' }),
      data: fromJS({ plugin: 'other', query: { debug: 'yes' } }),
    })
    assert.equal(explanation.value, 'true')
    const [first, second] = explanation.bodies
    assert.deepEqual(first?.failed, {
      index: 0,
      location: 'policy.rego:6',
      text: 'data.plugin == "resource"',
      values: [{ ref: 'data.plugin', value: '"other"' }],
    })
    assert.deepEqual(second, { location: 'policy.rego:13' })
    const noInput = explainer.explain({ data: fromJS({ plugin: 'resource' }) })
    assert.deepEqual(noInput.bodies[0]?.failed?.values, [{ ref: 'input.submods' }])
  })

  it('probes bodies the compiler reorders, else branches and rules in other packages', () => {
    const text = `package p.q
import rego.v1
default level := "none"
level := "high" if {
  y == 2
  y = input.x + 1
} else := "low" if {
  input.x > 10
}
`
    const explained = createRuleExplainer([{ name: 'q.rego', text }], 'data.p.q.level').explain({
      input: fromJS({ x: 5 }),
    })
    assert.equal(explained.value, '"none"')
    assert.equal(explained.bodies.length, 2)
    assert.equal(explained.bodies[0]?.failed?.location, 'q.rego:6')
    assert.deepEqual(explained.bodies[1]?.failed, {
      index: 0,
      location: 'q.rego:8',
      text: 'input.x > 10',
      values: [{ ref: 'input.x', value: '5' }],
    })
  })
})
