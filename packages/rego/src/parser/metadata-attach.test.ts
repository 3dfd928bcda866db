import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Annotation } from '../ast/ast.ts'
import { RegoError } from '../errors.ts'
import { parseModule } from './index.ts'

const brief = (as: readonly Annotation[] | undefined): string[] | undefined =>
  as?.map((a) => `${a.loc.row}:${a.scope}:${a.title ?? ''}`)

function parseError(text: string): string {
  try {
    parseModule('m.rego', text)
  } catch (e) {
    assert.ok(e instanceof RegoError)
    return e.toString()
  }
  assert.fail(`no error for ${text}`)
}

describe('annotation attachment', () => {
  it('puts each block on the next statement, with default scopes', () => {
    const m = parseModule(
      'm.rego',
      [
        '# METADATA', // 1
        '# title: pkg',
        '# METADATA', // 3
        '# scope: subpackages',
        'package a.b', // 5
        '',
        'import data.x', // 7
        '',
        '# METADATA', // 9
        '# scope: document',
        '# title: doc',
        '',
        '# METADATA', // 13
        '# title: rule p',
        '',
        'p := 1', // 16
        '',
        '# METADATA', // 18
        '# entrypoint: true',
        'q if { true }', // 20
        '',
        'r := 2',
      ].join('\n'),
    )
    assert.deepEqual(m.packageLoc, { file: 'm.rego', row: 5, col: 1 })
    assert.deepEqual(brief(m.annotations), ['1:package:pkg', '3:subpackages:'])
    assert.deepEqual(
      m.rules.map((r) => brief(r.annotations)),
      [['9:document:doc', '13:rule:rule p'], ['18:document:'], undefined],
    )
    assert.equal(m.rules[1]?.annotations?.[0]?.entrypoint, true)
  })

  it('leaves modules without blocks as they were', () => {
    const m = parseModule('m.rego', '# title: not metadata\npackage p\n\np := 1\n')
    assert.equal(m.annotations, undefined)
    assert.equal(m.rules[0]?.annotations, undefined)
    assert.ok(!('annotations' in (m.rules[0] ?? {})))
  })

  it('reads blocks in v0 modules too', () => {
    const m = parseModule('m.rego', 'package p\n\n# METADATA\n# title: t\np { true }\n', { regoVersion: 0 })
    assert.deepEqual(brief(m.rules[0]?.annotations), ['3:rule:t'])
  })

  it('rejects scopes that do not fit the statement', () => {
    assert.equal(
      parseError('# METADATA\n# scope: rule\npackage p\n'),
      "m.rego:1: rego_parse_error: annotation scope 'rule' must be applied to rule (have package)",
    )
    assert.equal(
      parseError('package p\n# METADATA\n# scope: subpackages\np := 1\n'),
      "m.rego:2: rego_parse_error: annotation scope 'subpackages' must be applied to package (have rule)",
    )
    assert.equal(
      parseError('package p\n# METADATA\n# title: x\nimport data.y\n'),
      "m.rego:2: rego_parse_error: invalid annotation scope 'import'. Use one of 'rule', 'document', 'package', or 'subpackages'",
    )
    assert.equal(
      parseError('package p\n\np := 1\n\n# METADATA\n# scope: document\n'),
      "m.rego:5: rego_parse_error: annotation scope 'document' must be applied to rule",
    )
    assert.equal(
      parseError('package p\n# METADATA\n# scope: rule\n# entrypoint: true\np := 1\n'),
      "m.rego:2: rego_parse_error: annotation entrypoint applied to non-document or package scope 'rule'",
    )
  })

  it('reports YAML errors of every block together', () => {
    assert.equal(
      parseError('# METADATA\n# title: [\npackage p\n# METADATA\n# authors: 1\np := 1\n'),
      '2 errors occurred:\n' +
        "m.rego:2: rego_parse_error: yaml: line 2: did not find expected ',' or ']'\n" +
        'm.rego:5: rego_parse_error: yaml: unmarshal errors:\n  line 1: cannot unmarshal !!int `1` into []interface {}',
    )
  })
})
