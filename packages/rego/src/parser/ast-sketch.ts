import type { Body, Expr, Rule, Term } from '../ast/ast.ts'

/**
 * A compact rendering of syntax-tree structure (not Rego source): refs and calls are explicit,
 * so precedence and rule shapes can be read and compared in tests and debugging sessions.
 * `a.b[x] + 1` is `plus(ref(a, "b", x), 1)`.
 */
export function sketchTerm(t: Term): string {
  switch (t.type) {
    case 'null':
      return 'null'
    case 'boolean':
      return String(t.value)
    case 'number':
      return t.text
    case 'string':
      return JSON.stringify(t.value)
    case 'var':
      return t.name
    case 'ref':
      return `ref(${[t.head, ...t.path].map(sketchTerm).join(', ')})`
    case 'array':
      return `[${t.items.map(sketchTerm).join(', ')}]`
    case 'set':
      return t.items.length === 0 ? 'set()' : `{${t.items.map(sketchTerm).join(', ')}}`
    case 'object':
      return `{${t.entries.map((e) => `${sketchTerm(e.key)}: ${sketchTerm(e.value)}`).join(', ')}}`
    case 'call':
      return `${t.name.join('.')}(${t.args.map(sketchTerm).join(', ')})`
    case 'arraycompr':
      return `[${sketchTerm(t.term)} | ${sketchBody(t.body)}]`
    case 'setcompr':
      return `{${sketchTerm(t.term)} | ${sketchBody(t.body)}}`
    case 'objectcompr':
      return `{${sketchTerm(t.key)}: ${sketchTerm(t.value)} | ${sketchBody(t.body)}}`
  }
}

export function sketchBody(body: Body): string {
  return body.map(sketchExpr).join('; ')
}

export function sketchExpr(e: Expr): string {
  const k = e.kind
  let s: string
  switch (k.type) {
    case 'term':
      s = sketchTerm(k.term)
      break
    case 'unify':
      s = `${sketchTerm(k.lhs)} = ${sketchTerm(k.rhs)}`
      break
    case 'assign':
      s = `${sketchTerm(k.lhs)} := ${sketchTerm(k.rhs)}`
      break
    case 'some':
      s = `some ${k.vars.map(sketchTerm).join(', ')}`
      break
    case 'somein':
      s = `some ${k.key ? `${sketchTerm(k.key)}, ` : ''}${sketchTerm(k.value)} in ${sketchTerm(k.collection)}`
      break
    case 'every':
      s = `every ${k.key ? `${sketchTerm(k.key)}, ` : ''}${sketchTerm(k.value)} in ${sketchTerm(k.domain)} { ${sketchBody(k.body)} }`
      break
  }
  const withs = e.with.map((w) => ` with ${sketchTerm(w.target)} as ${sketchTerm(w.value)}`).join('')
  return `${e.negated ? 'not ' : ''}${s}${withs}`
}

/** `default? [ref...](args) contains key := value { body } else = v { body }`. */
export function sketchRule(r: Rule): string {
  const h = r.head
  let s = r.isDefault ? 'default ' : ''
  s += `[${h.ref.map(sketchTerm).join(', ')}]`
  if (h.args) s += `(${h.args.map(sketchTerm).join(', ')})`
  if (h.contains) s += ` contains ${h.key ? sketchTerm(h.key) : '?'}`
  if (h.value) s += ` ${h.assign ? ':=' : '='} ${sketchTerm(h.value)}`
  s += ` { ${sketchBody(r.body)} }`
  for (const e of r.elses) s += ` else${e.value ? ` = ${sketchTerm(e.value)}` : ''} { ${sketchBody(e.body)} }`
  return s
}
