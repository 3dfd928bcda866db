import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fromJS, toJS } from '../../../value/json.ts'
import type { Value } from '../../../value/value.ts'
import { BuiltinError, type BuiltinContext } from '../../builtin.ts'
import { evalBounded, expectLimitError } from '../../bounds-test-support.ts'
import { jsonSchemaBuiltins } from './builtins.ts'

const ctx: BuiltinContext = { strict: true, nowNs: 0n, random: () => 0, memo: new Map(), location: undefined }

function call(name: string, ...args: unknown[]): unknown {
  const def = jsonSchemaBuiltins.find((b) => b.name === name)
  assert.ok(def)
  const values = args.map((a): Value => (typeof a === 'string' ? a : fromJS(a)))
  return toJS(def.fn(values, ctx) as Value)
}

function match(document: unknown, schema: unknown): unknown {
  return call('json.match_schema', document, schema)
}

const ID_SCHEMA = { properties: { id: { type: 'integer' } }, required: ['id'] }

test('match_schema accepts objects and JSON text', () => {
  assert.deepEqual(match({ id: 5 }, ID_SCHEMA), [true, []])
  assert.deepEqual(match('{"id": 5}', ID_SCHEMA), [true, []])
  assert.deepEqual(match({ id: 5 }, JSON.stringify(ID_SCHEMA)), [true, []])
})

test('match_schema reports errors as gojsonschema does', () => {
  assert.deepEqual(match({ id: 'foo' }, ID_SCHEMA), [
    false,
    [
      {
        desc: 'Invalid type. Expected: integer, given: string',
        error: 'id: Invalid type. Expected: integer, given: string',
        field: 'id',
        type: 'invalid_type',
      },
    ],
  ])
  assert.deepEqual(match({}, ID_SCHEMA), [
    false,
    [{ desc: 'id is required', error: '(root): id is required', field: '(root)', type: 'required' }],
  ])
})

test('match_schema keywords', () => {
  const schema = {
    type: 'object',
    properties: {
      n: { type: 'number', minimum: 1, exclusiveMaximum: 10, multipleOf: 0.5 },
      s: { type: 'string', minLength: 2, pattern: '^a' },
      e: { enum: ['x', 'y'] },
      l: { type: 'array', items: { type: 'integer' }, uniqueItems: true, maxItems: 3 },
      o: { anyOf: [{ type: 'string' }, { type: 'null' }] },
    },
    additionalProperties: false,
  }
  assert.deepEqual(match({ n: 2.5, s: 'ab', e: 'x', l: [1, 2], o: null }, schema), [true, []])
  const [ok, errors] = match({ n: 10, s: 'b', e: 'z', l: [1, 1, 'x', 4], o: 3, extra: 1 }, schema) as [
    boolean,
    { type: string; error: string }[],
  ]
  assert.equal(ok, false)
  assert.deepEqual(
    errors.map((e) => e.error),
    [
      '(root): Additional property extra is not allowed',
      'e: e must be one of the following: "x", "y"',
      'l.2: Invalid type. Expected: integer, given: string',
      'l: Array must have at most 3 items',
      'l: array items[0,1] must be unique',
      'n: Must be less than 10',
      'o: Must validate at least one schema (anyOf)',
      'o: Invalid type. Expected: string, given: integer',
      's: String length must be greater than or equal to 2',
      "s: Does not match pattern '^a'",
    ],
  )
})

test('$ref to definitions', () => {
  const schema = {
    definitions: { pos: { type: 'integer', minimum: 0 } },
    properties: { a: { $ref: '#/definitions/pos' } },
  }
  assert.deepEqual(match({ a: 3 }, schema), [true, []])
  assert.equal((match({ a: -1 }, schema) as unknown[])[0], false)
})

test('invalid schemas', () => {
  const message =
    'has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values are:[array boolean integer number null object string]'
  assert.throws(
    () => match({ id: 'foo' }, { properties: { id: { type: 'unknown' } } }),
    (e: unknown) => e instanceof BuiltinError && e.code === 'eval_builtin_error' && e.message === message,
  )
  assert.deepEqual(call('json.verify_schema', '{"type": "boolean"}'), [true, null])
  assert.deepEqual(call('json.verify_schema', { type: 'boolean' }), [true, null])
  assert.deepEqual(call('json.verify_schema', { type: 'unknown_type' }), [
    false,
    'jsonschema: has a primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values are:[array boolean integer number null object string]',
  ])
  assert.deepEqual(call('json.verify_schema', '{'), [false, 'jsonschema: invalid JSON string'])
  assert.deepEqual(call('json.verify_schema', { minLength: -1 }), [
    false,
    'jsonschema: minLength must be greater than or equal to 0',
  ])
})

test('json.match_schema stops at the step bound when shared definitions nest', () => {
  // Each definition refers to the one below twice: a document failing them all is checked 2^n times.
  const definitions: Record<string, unknown> = { d0: { type: 'integer' } }
  for (let i = 1; i <= 24; i++) {
    definitions[`d${i}`] = { anyOf: [{ $ref: `#/definitions/d${i - 1}` }, { $ref: `#/definitions/d${i - 1}` }] }
  }
  const schema = fromJS({ definitions, $ref: '#/definitions/d24' })
  expectLimitError('p := json.match_schema(`"x"`, input)', { input: schema })
  assert.deepEqual(toJS(evalBounded('p := json.match_schema("7", input)', { input: schema }) ?? null), [true, []])
})
