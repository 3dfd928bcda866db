import type { Body, Expr, Module, Rule, RuleHead, Term } from '../../../ast/ast.ts'
import { RegoObject, type Value } from '../../../value/value.ts'

/**
 * A parsed module as the JSON OPA marshals its AST to (locations left out, as by default):
 * terms are `{"type": ..., "value": ...}`, expressions `{"index": i, "terms": ...}` where a
 * call's terms are `[operator ref, args...]`, rules `{"head": ..., "body": [...]}`.
 */

function obj(entries: readonly (readonly [string, Value | undefined])[]): RegoObject {
  const o = new RegoObject()
  for (const [k, v] of entries) if (v !== undefined) o.set(k, v)
  return o
}

function typed(type: string, value: Value): RegoObject {
  return obj([
    ['type', type],
    ['value', value],
  ])
}

/** The ref term of a builtin or function name as written (`count`, `io.jwt.decode`). */
function nameRef(parts: readonly string[]): RegoObject {
  const [head, ...rest] = parts
  return typed('ref', [typed('var', head ?? ''), ...rest.map((p) => typed('string', p))])
}

/** OPA's operator names for the `=` and `:=` expressions. */
const UNIFY = nameRef(['eq'])
const ASSIGN = nameRef(['assign'])

export function termValue(t: Term): RegoObject {
  switch (t.type) {
    case 'null':
      return typed('null', null)
    case 'boolean':
      return typed('boolean', t.value)
    case 'number':
      return typed('number', t.value)
    case 'string':
      return typed('string', t.value)
    case 'var':
      return typed('var', t.name)
    case 'ref':
      return typed('ref', [termValue(t.head), ...t.path.map(termValue)])
    case 'array':
      return typed('array', t.items.map(termValue))
    case 'set':
      return typed('set', t.items.map(termValue))
    case 'object':
      return typed(
        'object',
        t.entries.map((e) => [termValue(e.key), termValue(e.value)]),
      )
    case 'arraycompr':
    case 'setcompr':
      return typed(
        t.type === 'arraycompr' ? 'arraycomprehension' : 'setcomprehension',
        obj([
          ['term', termValue(t.term)],
          ['body', bodyValue(t.body)],
        ]),
      )
    case 'objectcompr':
      return typed(
        'objectcomprehension',
        obj([
          ['key', termValue(t.key)],
          ['value', termValue(t.value)],
          ['body', bodyValue(t.body)],
        ]),
      )
    case 'call':
      return typed('call', [nameRef(t.name), ...t.args.map(termValue)])
  }
}

function exprTerms(e: Expr): Value {
  const k = e.kind
  switch (k.type) {
    case 'term':
      return k.term.type === 'call' ? [nameRef(k.term.name), ...k.term.args.map(termValue)] : termValue(k.term)
    case 'unify':
      return [UNIFY, termValue(k.lhs), termValue(k.rhs)]
    case 'assign':
      return [ASSIGN, termValue(k.lhs), termValue(k.rhs)]
    case 'some':
      return obj([['symbols', k.vars.map(termValue)]])
    case 'somein': {
      const op = k.key ? 'member_3' : 'member_2'
      const args = k.key ? [k.key, k.value, k.collection] : [k.value, k.collection]
      return obj([['symbols', [typed('call', [nameRef(['internal', op]), ...args.map(termValue)])]]])
    }
    case 'every':
      return obj([
        ['key', k.key ? termValue(k.key) : undefined],
        ['value', termValue(k.value)],
        ['domain', termValue(k.domain)],
        ['body', bodyValue(k.body)],
      ])
  }
}

function exprValue(e: Expr, index: number): RegoObject {
  return obj([
    ['index', index],
    ['negated', e.negated ? true : undefined],
    ['terms', exprTerms(e)],
    [
      'with',
      e.with.length === 0
        ? undefined
        : e.with.map((w) =>
            obj([
              ['target', termValue(w.target)],
              ['value', termValue(w.value)],
            ]),
          ),
    ],
  ])
}

function bodyValue(body: Body): Value[] {
  if (body.length === 0)
    return [
      obj([
        ['index', 0],
        ['terms', typed('boolean', true)],
      ]),
    ]
  return body.map(exprValue)
}

function headValue(h: RuleHead): RegoObject {
  const first = h.ref[0]
  const name = h.ref.length === 1 && first?.type === 'var' ? first.name : undefined
  const value = h.value ? termValue(h.value) : h.contains ? undefined : typed('boolean', true)
  return obj([
    ['name', name],
    ['ref', h.ref.map(termValue)],
    ['args', h.args ? h.args.map(termValue) : undefined],
    ['key', h.key ? termValue(h.key) : undefined],
    ['value', value],
    ['assign', h.assign ? true : undefined],
  ])
}

function ruleValue(r: Rule): RegoObject {
  let elseValue: RegoObject | undefined
  for (const e of [...r.elses].reverse()) {
    elseValue = obj([
      ['head', obj([['value', e.value ? termValue(e.value) : typed('boolean', true)]])],
      ['body', bodyValue(e.body)],
      ['else', elseValue],
    ])
  }
  return obj([
    ['default', r.isDefault ? true : undefined],
    ['head', headValue(r.head)],
    ['body', bodyValue(r.body)],
    ['else', elseValue],
  ])
}

export function moduleValue(m: Module): RegoObject {
  return obj([
    ['package', obj([['path', [typed('var', 'data'), ...m.package.map((p) => typed('string', p))]]])],
    [
      'imports',
      m.imports.length === 0
        ? undefined
        : m.imports.map((i) =>
            obj([
              ['path', termValue(i.path)],
              ['alias', i.alias],
            ]),
          ),
    ],
    ['rules', m.rules.length === 0 ? undefined : m.rules.map(ruleValue)],
  ])
}
