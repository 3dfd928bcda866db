import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseModule, parseQuery } from '../parser/index.ts'
import { BUILTINS } from '../builtins/registry.ts'
import { compileProgram } from './compile.ts'
import type { CBody, CExpr, CTerm } from './ir.ts'

const POLICY = `package t
import rego.v1
default allow := false
allow if {
  some i, x in input.xs
  y := [x, {"k": i}, {x}]
  not x == 3
  every z in y { z != null }
  count([w | w := input.xs[_]; w > 1]) > 0
  o := {k: v | some k, v in {"a": 1}}
  s := {v | some v in [1]}
  print("x", x)
  f(x) == data.t.g
  z := input.m with input.m as 1
}
f(v) := v + 1
g := 2
`

function collect(body: CBody, terms: CTerm[], exprs: CExpr[]): void {
  const term = (t: CTerm | undefined): void => {
    if (!t) return
    terms.push(t)
    switch (t.k) {
      case 'ref':
        term(t.head)
        t.path.forEach(term)
        return
      case 'input':
      case 'data':
        t.path.forEach(term)
        return
      case 'array':
      case 'set':
        t.items.forEach(term)
        return
      case 'object':
        for (const [a, b] of t.entries) {
          term(a)
          term(b)
        }
        return
      case 'acompr':
      case 'scompr':
        term(t.term)
        collect(t.body, terms, exprs)
        return
      case 'ocompr':
        term(t.key)
        term(t.value)
        collect(t.body, terms, exprs)
        return
      case 'call':
        t.args.forEach(term)
        return
      default:
        return
    }
  }
  for (const e of body) {
    exprs.push(e)
    const x = e.kind
    if (x.k === 'term') term(x.term)
    if (x.k === 'unify') {
      term(x.lhs)
      term(x.rhs)
    }
    if (x.k === 'print' || x.k === 'callout') x.args.forEach(term)
    if (x.k === 'somein') {
      term(x.key)
      term(x.value)
      term(x.coll)
    }
    if (x.k === 'every') {
      term(x.domain)
      collect(x.body, terms, exprs)
    }
    for (const w of e.with) if (w.value.k === 'term') term(w.value.term)
  }
}

test('every compiled term, and every expression kind, has one and the same layout', () => {
  const program = compileProgram([parseModule('t.rego', POLICY, { regoVersion: 1 })], BUILTINS, new Map())
  const terms: CTerm[] = []
  const exprs: CExpr[] = []
  for (const rs of program.sets) {
    for (const def of [...rs.defs, ...(rs.defaultDef ? [rs.defaultDef] : [])]) {
      for (const a of def.args ?? []) collect([], [a], [])
      for (const br of def.branches) {
        collect(br.body, terms, exprs)
        terms.push(br.value)
      }
    }
  }
  const q = program.compileQuery(parseQuery('x := data.t.allow; x; y := [z | z := input.a[_]]', { regoVersion: 1 }), 1)
  collect(q.body, terms, exprs)
  assert.ok(terms.length > 40 && exprs.length > 12, `walked ${terms.length} terms, ${exprs.length} expressions`)
  const termKeys = new Set(terms.map((t) => Object.keys(t).join(',')))
  assert.equal(termKeys.size, 1, [...termKeys].join('\n'))
  const kindKeys = new Set(exprs.map((e) => Object.keys(e.kind).join(',')))
  assert.equal(kindKeys.size, 1, [...kindKeys].join('\n'))
  assert.deepEqual(new Set(terms.map((t) => t.k)).size >= 10, true)
})
