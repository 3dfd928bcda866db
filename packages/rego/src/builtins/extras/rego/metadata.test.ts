import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseModule } from '../../../parser/index.ts'
import { toJS } from '../../../value/json.ts'
import { RegoMetadata } from './metadata.ts'

const MAIN = `# METADATA
# description: The Rego test suite
package testing

# METADATA
# scope: document
# title: Testing annotations
# authors:
# - The OPA contributors
p := "foo" if {
\tfalse
}

# METADATA
# title: Another annotation
p := x if {
\tx := 1
}

q := 2
`

test('chain and rule values as OPA computes them', () => {
  const m = parseModule('test-0.rego', MAIN)
  const md = new RegoMetadata([m])
  const [first, second, q] = m.rules
  assert.ok(first && second && q)
  assert.deepEqual(toJS(md.rule(second)), { scope: 'rule', title: 'Another annotation' })
  assert.deepEqual(toJS(md.rule(first)), {})
  assert.deepEqual(toJS(md.chain(m, second)), [
    { annotations: { scope: 'rule', title: 'Another annotation' }, path: ['testing', 'p'] },
    {
      annotations: { authors: [{ name: 'The OPA contributors' }], scope: 'document', title: 'Testing annotations' },
      path: ['testing', 'p'],
    },
    { annotations: { description: 'The Rego test suite', scope: 'package' }, path: ['testing'] },
  ])
  assert.deepEqual(toJS(md.chain(m, q)), [
    { path: ['testing', 'q'] },
    { annotations: { description: 'The Rego test suite', scope: 'package' }, path: ['testing'] },
  ])
})

test('package annotations from another module of the package', () => {
  const a = parseModule('test-0.rego', '# METADATA\n# description: shared\npackage testing\n')
  const b = parseModule('test-1.rego', 'package testing\n\np := 1\n')
  const md = new RegoMetadata([a, b])
  const p = b.rules[0]
  assert.ok(p)
  assert.deepEqual(toJS(md.chain(b, p)), [
    { path: ['testing', 'p'] },
    { annotations: { description: 'shared', scope: 'package' }, path: ['testing'] },
  ])
})

test('authors with emails', () => {
  const m = parseModule('t.rego', 'package x\n\n# METADATA\n# authors:\n# - Jane <jane@example.com>\np := 1\n')
  const p = m.rules[0]
  assert.ok(p)
  assert.deepEqual(toJS(new RegoMetadata([m]).rule(p)), {
    authors: [{ email: 'jane@example.com', name: 'Jane' }],
    scope: 'rule',
  })
})
