import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { toJS } from '../value/json.ts'
import { tokenize } from './lexer.ts'
import { metadataBlocks, readMetadataBlock, type MetadataBlock } from './metadata-block.ts'
import { ParseFail } from './parse-fail.ts'

const LIMITS = { maxLineLength: 65536, maxSourceLength: 1 << 20 }

function blocks(source: string): MetadataBlock[] {
  return metadataBlocks(tokenize(source, LIMITS).comments)
}

function only(source: string): MetadataBlock {
  const [b] = blocks(source)
  assert.ok(b)
  return b
}

function failure(source: string): string {
  try {
    readMetadataBlock(only(source), 'f.rego')
  } catch (e) {
    assert.ok(e instanceof ParseFail)
    return `${e.row}: ${e.message}`
  }
  assert.fail('no error')
}

describe('METADATA blocks', () => {
  it('run over the column-1 comments on the rows right below the marker', () => {
    const found = blocks(
      [
        '# METADATA', // 1
        '# title: a', // 2
        '#   more', // 3
        '', // 4
        '# not part', // 5
        '#METADATA extra text', // 6
        '# METADATA', // 7: a new block
        '# title: c', // 8
        '  # indented', // 9
        'p := 1 # METADATA', // 10: not at column 1
      ].join('\n'),
    )
    assert.deepEqual(
      found.map((b) => [b.start.row, b.lines.map((l) => l.row)]),
      [
        [1, [2, 3]],
        [6, []],
        [7, [8]],
      ],
    )
  })

  it('read into annotations with OPA’s author, resource and schema forms', () => {
    const a = readMetadataBlock(
      only(
        [
          'package p',
          '# METADATA',
          '# title: T',
          '# description: D',
          '# authors:',
          '# - Jane Q. Doe <jane@example.com>',
          '# - {name: " Bob ", email: bob@example.com}',
          '# - <nobody@example.com>',
          '# organizations: [Acme]',
          '# related_resources:',
          '# - https://example.com',
          '# - {ref: "https://example.com/b", description: more}',
          '# schemas:',
          '# - input: schema.input',
          '# - data.x["y"]: {type: string}',
          '# custom:',
          '#   severity: high',
          '#   tags: [a, b]',
        ].join('\n'),
      ),
      'f.rego',
    )
    assert.deepEqual(
      {
        ...a,
        schemas: a.schemas?.map((s) => ({ ...s, definition: s.definition && toJS(s.definition) })),
        custom: a.custom && toJS(a.custom),
      },
      {
        scope: '',
        title: 'T',
        description: 'D',
        authors: [
          { name: 'Jane Q. Doe', email: 'jane@example.com' },
          { name: 'Bob', email: 'bob@example.com' },
          { email: 'nobody@example.com' },
        ],
        organizations: ['Acme'],
        relatedResources: [{ ref: 'https://example.com' }, { ref: 'https://example.com/b', description: 'more' }],
        schemas: [
          { path: ['input'], schema: ['schema', 'input'], definition: undefined },
          { path: ['data', 'x', 'y'], definition: { type: 'string' } },
        ],
        custom: { severity: 'high', tags: ['a', 'b'] },
        loc: { file: 'f.rego', row: 2, col: 1 },
      },
    )
  })

  it('keep only an explicit scope and a true entrypoint', () => {
    const a = readMetadataBlock(only('# METADATA\n# scope: subpackages\n# entrypoint: false\n# organizations: []'), 'f')
    assert.deepEqual(a, { scope: 'subpackages', loc: { file: 'f', row: 1, col: 1 } })
  })

  it('fail with OPA’s messages on bad fields, at the METADATA line', () => {
    assert.equal(
      failure('\n# METADATA\n# authors: ["  "]'),
      '2: invalid author definition   : author is an empty string',
    )
    assert.equal(
      failure('# METADATA\n# authors: [{x: 1}]'),
      "1: invalid author definition map[x:%!s(int=1)]: 'name' and/or 'email' values required in object",
    )
    assert.equal(
      failure('# METADATA\n# related_resources: [{description: d}]'),
      "1: invalid related-resource definition map[description:d]: 'ref' value required in object",
    )
    assert.equal(
      failure('# METADATA\n# related_resources: [true]'),
      '1: invalid related-resource definition %!s(bool=true): invalid value type, must be string or map',
    )
    assert.equal(failure('# METADATA\n# schemas: [{"1x": schema.a}]'), '1: invalid document reference')
    assert.equal(failure('# METADATA\n# schemas: [{input: other.a}]'), '1: invalid schema reference')
    assert.equal(failure('# METADATA\n# schemas: [{input: 3}]'), '1: invalid schema declaration for path "input"')
  })

  it('fail on empty blocks and bad YAML, where OPA points', () => {
    assert.equal(failure('# METADATA\n#\n#   '), '1: expected METADATA block, found whitespace')
    assert.equal(failure('# METADATA'), '1: expected METADATA block, found whitespace')
    // The YAML line number indexes the block's lines (OPA's off-by-one included).
    assert.equal(
      failure('# METADATA\n# title: x\n# description: [a]\n# scope: rule'),
      '4: yaml: unmarshal errors:\n  line 2: cannot unmarshal !!seq into string',
    )
    assert.equal(
      failure('# METADATA\n# title:x\n# k: a: b'),
      "3: yaml: mapping values are not allowed in this context\n  Hint: on line 2, symbol(s) ['x'] immediately following a key/value separator ':' is not a legal yaml space character",
    )
  })
})
