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

test('rule blocks closest first, subpackages outward, else branches without the rule blocks', () => {
  const root = parseModule('a.rego', '# METADATA\n# scope: subpackages\n# title: root\npackage a\n')
  const m = parseModule(
    'b.rego',
    [
      '# METADATA',
      '# scope: subpackages',
      '# title: sub',
      'package a.b',
      '',
      '# METADATA',
      '# title: far',
      '',
      '# METADATA',
      '# title: near',
      '# related_resources: [https://example.com]',
      '# custom: {k: [1]}',
      'f(x) := 1 if {',
      '\tx',
      '} else := 2',
    ].join('\n'),
  )
  const md = new RegoMetadata([root, m])
  assert.deepEqual(md.errors, [])
  const f = m.rules[0]
  assert.ok(f)
  const near = {
    custom: { k: [1] },
    related_resources: [{ ref: 'https://example.com' }],
    scope: 'rule',
    title: 'near',
  }
  assert.deepEqual(toJS(md.rule(f)), near)
  assert.deepEqual(toJS(md.chain(m, f)), [
    { annotations: near, path: ['a', 'b', 'f'] },
    { annotations: { scope: 'rule', title: 'far' }, path: ['a', 'b', 'f'] },
    { annotations: { scope: 'subpackages', title: 'sub' }, path: ['a', 'b'] },
    { annotations: { scope: 'subpackages', title: 'root' }, path: ['a'] },
  ])
  assert.deepEqual(toJS(md.rule(f, true)), {})
  assert.deepEqual((toJS(md.chain(m, f, true)) as unknown[])[0], { path: ['a', 'b', 'f'] })
})

test('ground ref heads give the path, up to the first variable', () => {
  const m = parseModule('t.rego', 'package x\n\n# METADATA\n# scope: document\n# title: t\na.b[1][y] := 1 if y := 2\n')
  const r = m.rules[0]
  assert.ok(r)
  assert.deepEqual(toJS(new RegoMetadata([m]).chain(m, r)), [
    { path: ['x', 'a', 'b', '1'] },
    { annotations: { scope: 'document', title: 't' }, path: ['x', 'a', 'b', '1'] },
  ])
})

test('a second package or document annotation for the same place is a type error', () => {
  const a = parseModule('b.rego', '# METADATA\n# title: one\npackage p\n\n# METADATA\n# scope: document\nq := 1\n')
  const b = parseModule('a.rego', '# METADATA\n# title: two\npackage p\n\n# METADATA\n# scope: document\nq := 2\n')
  assert.deepEqual(
    new RegoMetadata([a, b]).errors.map((e) => e.toString()),
    [
      'b.rego:1: rego_type_error: package annotation redeclared: a.rego:1',
      'b.rego:5: rego_type_error: document annotation redeclared: a.rego:5',
    ],
  )
})
