import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { toJS } from '../value/json.ts'
import { readMetadataYaml } from './metadata-yaml.ts'

function fields(text: string): Record<string, unknown> {
  const raw = readMetadataYaml(text)
  assert.ok('fields' in raw, 'problem' in raw ? raw.problem : '')
  return Object.fromEntries([...raw.fields].map(([k, v]) => [k, toJS(v)]))
}

function problem(text: string): { problem: string; line: number | undefined } {
  const raw = readMetadataYaml(text)
  assert.ok('problem' in raw, `no problem for ${text}`)
  return raw
}

describe('metadata YAML', () => {
  it('decodes the known fields, ignoring unknown keys and nulls', () => {
    assert.deepEqual(
      fields('title: T\ndescription:\nfoo: 1\norganizations: [a, 2]\ncustom:\n  n: 1.5\n  big: 12345678901234567890\n'),
      { title: 'T', organizations: ['a', '2'], custom: { n: 1.5, big: 12345678901234567890n } },
    )
    assert.deepEqual(fields(''), {})
    assert.deepEqual(fields('# only a comment\n'), {})
  })

  it('reads scalars into strings as their text and YAML 1.1 words into booleans', () => {
    assert.deepEqual(fields('title: 1.50\nscope: true\nentrypoint: yes\n'), {
      title: '1.50',
      scope: 'true',
      entrypoint: true,
    })
    assert.deepEqual(fields('entrypoint: Off\n'), { entrypoint: false })
  })

  it("reports type errors in go-yaml's words with their lines", () => {
    assert.deepEqual(problem('title: T\ndescription: [a]\nentrypoint: maybe-later\ncustom: 3\n'), {
      problem:
        'yaml: unmarshal errors:\n' +
        '  line 2: cannot unmarshal !!seq into string\n' +
        '  line 3: cannot unmarshal !!str `maybe-l...` into bool\n' +
        '  line 4: cannot unmarshal !!int `3` into map[string]interface {}',
      line: 2,
    })
    assert.equal(
      problem('authors: x\n').problem,
      'yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `x` into []interface {}',
    )
    assert.equal(
      problem('schemas: [x]\n').problem,
      'yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `x` into map[string]interface {}',
    )
    assert.equal(
      problem('just text\n').problem,
      'yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `just text` into ast.rawAnnotation',
    )
  })

  it('reports duplicate keys', () => {
    assert.equal(
      problem('title: a\ncustom:\n  k: 1\n  k: 2\ntitle: b\n').problem,
      'yaml: unmarshal errors:\n  line 5: mapping key "title" already defined at line 1\n  line 4: mapping key "k" already defined at line 3',
    )
  })

  it('reports syntax errors, without a line on the first one as go-yaml does', () => {
    assert.deepEqual(problem('title: a: b\n'), {
      problem: 'yaml: mapping values are not allowed in this context',
      line: 1,
    })
    assert.equal(problem('title: x\ncustom: [a, b\n').problem, "yaml: line 3: did not find expected ',' or ']'")
  })
})
