import type { Term } from '../ast/ast.ts'

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/

/** OPA's name for the kind of a term, as used in parse error messages. */
export function valueName(term: Term): string {
  switch (term.type) {
    case 'arraycompr':
      return 'arraycomprehension'
    case 'setcompr':
      return 'setcomprehension'
    case 'objectcompr':
      return 'objectcomprehension'
    default:
      return term.type
  }
}

/** A short Rego rendering of a term for error messages (`a.b[x]`, `f(x)`, `"s"`). */
export function termText(term: Term): string {
  switch (term.type) {
    case 'null':
      return 'null'
    case 'boolean':
      return String(term.value)
    case 'number':
      return term.text
    case 'string':
      return JSON.stringify(term.value)
    case 'var':
      return term.name
    case 'ref':
      return refText([term.head, ...term.path])
    case 'array':
      return `[${term.items.map(termText).join(', ')}]`
    case 'set':
      return term.items.length === 0 ? 'set()' : `{${term.items.map(termText).join(', ')}}`
    case 'object':
      return `{${term.entries.map((e) => `${termText(e.key)}: ${termText(e.value)}`).join(', ')}}`
    case 'call':
      return `${term.name.join('.')}(${term.args.map(termText).join(', ')})`
    case 'arraycompr':
      return `[${termText(term.term)} | ...]`
    case 'setcompr':
      return `{${termText(term.term)} | ...}`
    case 'objectcompr':
      return `{${termText(term.key)}: ${termText(term.value)} | ...}`
  }
}

/** Renders a reference given as its terms, head first: `a.b["c-d"][x]`. */
export function refText(terms: readonly Term[]): string {
  let out = ''
  terms.forEach((t, i) => {
    if (i === 0) out += termText(t)
    else if (t.type === 'string' && IDENT.test(t.value)) out += `.${t.value}`
    else out += `[${termText(t)}]`
  })
  return out
}
