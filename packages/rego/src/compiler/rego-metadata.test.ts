import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { compile } from '../engine.ts'
import { RegoError } from '../errors.ts'
import { toJS } from '../value/json.ts'

const POLICY = `# METADATA
# title: The package
package p

# METADATA
# title: R
r := rego.metadata.rule()

# METADATA
# title: C
c := rego.metadata.chain()

in_body if {
\tx := rego.metadata.rule()
\tx == {}
}

# METADATA
# title: Q
q := [t | t := rego.metadata.rule().title]

# METADATA
# title: O
out_arg := m if rego.metadata.rule(m)

bare if rego.metadata.chain()

# METADATA
# title: F
f(x) := rego.metadata.rule() if {
\tx == 1
} else := rego.metadata.rule()
`

function compileError(modules: { name: string; text: string }[], query = 'true'): string {
  try {
    compile(modules).prepareQuery(query)
  } catch (e) {
    assert.ok(e instanceof RegoError)
    return e.toString()
  }
  assert.fail('no error')
}

describe('rego.metadata calls', () => {
  const policy = compile([{ name: 'p.rego', text: POLICY }])
  const value = (path: string): unknown => toJS(policy.evalRule(path) ?? null)

  it('become the annotations of the rule they are in, wherever they are written', () => {
    assert.deepEqual(value('data.p.r'), { scope: 'rule', title: 'R' })
    assert.deepEqual(value('data.p.c'), [
      { annotations: { scope: 'rule', title: 'C' }, path: ['p', 'c'] },
      { annotations: { scope: 'package', title: 'The package' }, path: ['p'] },
    ])
    assert.equal(value('data.p.in_body'), true)
    assert.deepEqual(value('data.p.q'), ['Q'])
    assert.deepEqual(value('data.p.out_arg'), { scope: 'rule', title: 'O' })
    assert.equal(value('data.p.bare'), true)
  })

  it("give else branches no rule annotations, as OPA's rewriting does", () => {
    const results = policy.prepareQuery('a := data.p.f(1); b := data.p.f(2)').eval()
    assert.deepEqual(toJS(results[0]?.get('a') ?? null), { scope: 'rule', title: 'F' })
    assert.deepEqual(toJS(results[0]?.get('b') ?? null), {})
  })

  it('leave a rego name that an import or rule shadows alone', () => {
    const shadowed = compile([
      { name: 'x.rego', text: 'package x.metadata\n\nchain(n) := n + 1\n' },
      { name: 'p.rego', text: 'package p\n\nimport data.x as rego\n\nv := rego.metadata.chain(1)\n' },
    ])
    assert.equal(shadowed.evalRule('data.p.v'), 2)
  })

  it('are errors in queries, with arguments, and after a redeclared annotation', () => {
    assert.equal(
      compileError([{ name: 'p.rego', text: 'package p\n' }], 'x := rego.metadata.chain()'),
      ':1: rego_type_error: undefined function rego.metadata.chain',
    )
    assert.equal(
      compileError([{ name: 'p.rego', text: 'package p\n\nv := rego.metadata.rule(1, 2)\n' }]),
      'p.rego:3: rego_type_error: rego.metadata.rule: arity mismatch',
    )
    assert.equal(
      compileError([
        { name: 'a.rego', text: '# METADATA\n# title: a\npackage p\n' },
        { name: 'b.rego', text: '# METADATA\n# title: b\npackage p\n' },
      ]),
      'b.rego:1: rego_type_error: package annotation redeclared: a.rego:1',
    )
  })
})
