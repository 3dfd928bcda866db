import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fromJS, toJS } from '../../../value/json.ts'
import type { Value } from '../../../value/value.ts'
import type { BuiltinContext } from '../../builtin.ts'
import { BuiltinError } from '../../builtin.ts'
import { evalBounded, expectLimitError } from '../../bounds-test-support.ts'
import { graphqlBuiltins } from './builtins.ts'

const ctx: BuiltinContext = { strict: true, nowNs: 0n, random: () => 0, memo: new Map(), location: undefined }

function call(name: string, ...args: Value[]): Value | undefined {
  const def = graphqlBuiltins.find((b) => b.name === `graphql.${name}`)
  assert.ok(def, name)
  return def.fn(args, ctx)
}

function errorOf(f: () => unknown): BuiltinError {
  try {
    f()
  } catch (e) {
    assert.ok(e instanceof BuiltinError)
    return e
  }
  assert.fail('expected an error')
}

const SCHEMA = `
  extend type Query {
    myAction(myEnum: Locale!): SomeResult!
  }
  type SomeResult {
    id: String
  }
  enum Locale {
    EN
    DE
  }
`

test('parse_query returns the pruned gqlparser AST', () => {
  const got = call(
    'parse_query',
    'query hero($episode: Episode!) { hero(episode: $episode) { name ... on Droid { id } } }',
  )
  assert.deepEqual(toJS(got as Value), {
    Operations: [
      {
        Name: 'hero',
        Operation: 'query',
        SelectionSet: [
          {
            Alias: 'hero',
            Arguments: [{ Name: 'episode', Value: { Kind: 0, Raw: 'episode' } }],
            Name: 'hero',
            SelectionSet: [
              { Alias: 'name', Name: 'name' },
              { SelectionSet: [{ Alias: 'id', Name: 'id' }], TypeCondition: 'Droid' },
            ],
          },
        ],
        VariableDefinitions: [{ Type: { NamedType: 'Episode', NonNull: true }, Used: false, Variable: 'episode' }],
      },
    ],
  })
})

test('parse_query value kinds, lists, block strings and directives', () => {
  const got = toJS(call('parse_query', '{ f(a: [1, 2.5], b: """  x\n  y""", c: null, d: E) @skip(if: true) }') as Value)
  assert.deepEqual(got, {
    Operations: [
      {
        Name: '',
        Operation: 'query',
        SelectionSet: [
          {
            Alias: 'f',
            Arguments: [
              {
                Name: 'a',
                Value: {
                  Children: [
                    { Name: '', Value: { Kind: 1, Raw: '1' } },
                    { Name: '', Value: { Kind: 2, Raw: '2.5' } },
                  ],
                  Kind: 8,
                  Raw: '',
                },
              },
              { Name: 'b', Value: { Kind: 4, Raw: '  x\ny' } },
              { Name: 'c', Value: { Kind: 6, Raw: 'null' } },
              { Name: 'd', Value: { Kind: 7, Raw: 'E' } },
            ],
            Directives: [{ Arguments: [{ Name: 'if', Value: { Kind: 5, Raw: 'true' } }], Location: '', Name: 'skip' }],
            Name: 'f',
          },
        ],
      },
    ],
  })
})

test('parse errors carry gqlparser messages and OPA locations', () => {
  const cases: [string, string][] = [
    ['{', 'Expected Name, found <EOF> in GraphQL string at location 1:2'],
    ['notanoperation Foo { field }', 'Unexpected Name "notanoperation" in GraphQL string at location 1:1'],
    ['{...{__typename{...{}}}}', 'expected at least one definition, found } in GraphQL string at location 1:21'],
    ['query Foo($x: Complex = { a: [ $var ] }) { field }', 'Unexpected $ in GraphQL string at location 1:32'],
  ]
  for (const [src, message] of cases) {
    const err = errorOf(() => call('parse_query', src))
    assert.equal(err.code, 'eval_builtin_error')
    assert.equal(err.message, message)
  }
  assert.equal(
    errorOf(() => call('parse_schema', '"""\r')).message,
    'Unexpected <Invalid> in GraphQL string at location 2:1',
  )
  assert.equal(
    errorOf(() => call('parse_schema', '\n  "Description"\n  extend type Hello { world: String }')).message,
    'Unexpected String "Description" in GraphQL string at location 2:4',
  )
})

test('parse_schema returns definitions and extensions', () => {
  const got = toJS(
    call('parse_schema', 'type Hello implements & Wo & rld { field(x: Int = 1): String }\nextend union U = A') as Value,
  )
  assert.deepEqual(got, {
    Definitions: [
      {
        BuiltIn: false,
        Description: '',
        Fields: [
          {
            Arguments: [
              {
                DefaultValue: { Kind: 1, Raw: '1' },
                Description: '',
                Name: 'x',
                Type: { NamedType: 'Int', NonNull: false },
              },
            ],
            Description: '',
            Name: 'field',
            Type: { NamedType: 'String', NonNull: false },
          },
        ],
        Interfaces: ['Wo', 'rld'],
        Kind: 'OBJECT',
        Name: 'Hello',
      },
    ],
    Extensions: [{ BuiltIn: false, Description: '', Kind: 'UNION', Name: 'U', Types: ['A'] }],
  })
})

test('schema_is_valid applies gqlparser schema rules', () => {
  assert.equal(call('schema_is_valid', SCHEMA), true)
  assert.equal(call('schema_is_valid', 'type Hello implements World { field: String }'), false)
  assert.equal(call('schema_is_valid', 'schema { query: Query }'), false)
  assert.equal(call('schema_is_valid', 'extend schema @directive'), true)
  assert.equal(
    call(
      'schema_is_valid',
      'interface IA { id: ID! }\ninterface IIA implements IA { id: ID! }\ntype A implements IIA { id: ID! }',
    ),
    false,
  )
  assert.equal(call('schema_is_valid', 'type T { f: String @deprecated }\nenum E { A @deprecated }'), true)
  assert.equal(call('schema_is_valid', 42), false)
})

test('is_valid and parse validate the query against the schema', () => {
  const missingArg = '\n  query SomeOperation {\n    myAction {\n      id\n    }\n  }\n'
  assert.equal(call('is_valid', missingArg, SCHEMA), false)
  assert.equal(
    errorOf(() => call('parse', missingArg, SCHEMA)).message,
    'Field "myAction" argument "myEnum" of type "Locale!" is required, but it was not provided in GraphQL query string at location 3:5',
  )
  const ok = 'query SomeOperation($locale: Locale! = DE) { myAction(myEnum: $locale) { id } }'
  assert.equal(call('is_valid', ok, SCHEMA), true)
  assert.equal(call('is_valid', '{ myAction(myEnum: FR) { id } }', SCHEMA), false)
  assert.equal(call('is_valid', '{ myAction(myEnum: EN) { nope } }', SCHEMA), false)
  assert.equal(call('is_valid', 'query Q($x: Locale!) { myAction(myEnum: EN) { id } }', SCHEMA), false)
  const verified = call('parse_and_verify', missingArg, SCHEMA) as Value[]
  assert.equal(verified[0], false)
})

test('AST objects round-trip through the builtins', () => {
  const schema = call(
    'parse_schema',
    'type Query { employee(id: String): Employee }\ntype Employee { salary: Int! }',
  ) as Value
  const query = call('parse_query', '{ employee(id: "alice") { salary } }') as Value
  assert.equal(call('is_valid', query, schema), true)
  const [q, s] = call('parse', query, schema) as Value[]
  assert.deepEqual(toJS(q as Value), toJS(query))
  assert.deepEqual(toJS(s as Value), toJS(schema))
  assert.equal(call('is_valid', fromJS({ Operations: 3 }), schema), false)
})

test('operand type errors', () => {
  const err = errorOf(() => call('parse', 1, 'type Query { a: Int }'))
  assert.equal(err.code, 'eval_type_error')
  assert.equal(err.message, 'operand 0 must be one of {string, object} but got number')
  assert.equal(errorOf(() => call('parse_query', 1)).message, 'operand 1 must be string but got number')
})

test('graphql builtins stop at the step bound on huge documents and quadratic validation', () => {
  const schema = 'type Query { q: Q }\ntype Q { a: Int q: Q b: Int }'
  const input = (q: string): Value => fromJS({ q, s: schema })
  const fields = (n: number): string => `{ q { ${'a '.repeat(n)}} }`
  const fragments = (n: number): string =>
    `{ q { ${Array.from({ length: n }, (_, i) => `...F${i}`).join(' ')} } }\n` +
    Array.from({ length: n }, (_, i) => `fragment F${i} on Q { a }`).join('\n')
  expectLimitError('p := graphql.parse_query(input.q)', { input: input(fields(200_000)) })
  // Every pair of same-named fields, or of fragments, is compared.
  expectLimitError('p := graphql.is_valid(input.q, input.s)', { input: input(fields(1_000)) })
  expectLimitError('p := graphql.parse_and_verify(input.q, input.s)', { input: input(fragments(300)) })
  assert.equal(evalBounded('p := graphql.is_valid(input.q, input.s)', { input: input(fields(100)) }), true)
})
