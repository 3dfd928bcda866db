import type { Expr, RefTerm, Term } from '../ast/ast.ts'
import { refText } from '../parser/term-text.ts'
import { toJsonText } from '../value/json.ts'
import { RegoObject, RegoSet, type Value } from '../value/value.ts'

/** One document value an expression reads, e.g. `input.submods.cpu0["ear.status"]` = `"warning"`. */
export interface ReferencedValue {
  /** The reference with every variable position replaced by the key it took. */
  readonly ref: string
  /** JSON text of the value (shortened past MAX_VALUE_CHARS); absent when the document is undefined there. */
  readonly value?: string
}

export interface Documents {
  readonly input: Value | undefined
  readonly data: Value
}

const MAX_VALUES = 32
const MAX_VALUE_CHARS = 240
const WILDCARD: Term = { type: 'var', name: '_', loc: { file: '', row: 0, col: 0 } }

/**
 * The `input` and base `data` values an expression references. A variable in a reference is
 * expanded over every key of the collection there; inside `every v in <ref> { ... }` a reference
 * through `v` is read as `<ref>[_]...`, so a failed `every` shows the element values it checked.
 */
export function referencedValues(expr: Expr, documents: Documents): ReferencedValue[] {
  const refs: RefTerm[] = []
  collectExpr(expr, new Map(), refs)
  const out: ReferencedValue[] = []
  const seen = new Set<string>()
  for (const ref of refs) {
    const head = ref.head.type === 'var' ? ref.head.name : ''
    const root = head === 'input' ? documents.input : documents.data
    for (const found of expand(root, ref.path, [{ type: 'var', name: head, loc: ref.loc }])) {
      const text = refText(found.terms)
      if (seen.has(text) || out.length >= MAX_VALUES) continue
      seen.add(text)
      out.push(found.value === undefined ? { ref: text } : { ref: text, value: shorten(toJsonText(found.value)) })
    }
  }
  return out
}

function shorten(text: string): string {
  return text.length <= MAX_VALUE_CHARS ? text : `${text.slice(0, MAX_VALUE_CHARS)}…`
}

function* expand(
  value: Value | undefined,
  path: readonly Term[],
  terms: readonly Term[],
): Generator<{ terms: readonly Term[]; value: Value | undefined }> {
  const [step, ...rest] = path
  if (step === undefined || value === undefined) {
    yield { terms: [...terms, ...path], value: step === undefined ? value : undefined }
    return
  }
  if (step.type === 'string' || step.type === 'number') {
    const key: Value = step.value
    yield* expand(child(value, key), rest, [...terms, step])
    return
  }
  if (step.type !== 'var') {
    yield { terms: [...terms, ...path], value: undefined }
    return
  }
  for (const key of keysOf(value)) {
    const keyTerm: Term =
      typeof key === 'number'
        ? { type: 'number', value: key, text: String(key), loc: step.loc }
        : { type: 'string', value: key, loc: step.loc }
    yield* expand(child(value, key), rest, [...terms, keyTerm])
  }
}

function keysOf(value: Value): (string | number)[] {
  if (Array.isArray(value)) return value.map((_, i) => i)
  if (value instanceof RegoObject)
    return value.keys().filter((k): k is string | number => typeof k === 'string' || typeof k === 'number')
  return []
}

function child(value: Value, key: Value): Value | undefined {
  if (Array.isArray(value)) return typeof key === 'number' ? value[key] : undefined
  if (value instanceof RegoObject) return value.get(key)
  if (value instanceof RegoSet) return value.has(key) ? key : undefined
  return undefined
}

/** Loop variables of enclosing `every`s, mapped to the reference terms they stand for. */
type Aliases = ReadonlyMap<string, RefTerm>

function collectExpr(expr: Expr, aliases: Aliases, out: RefTerm[]): void {
  const kind = expr.kind
  switch (kind.type) {
    case 'term':
      collectTerm(kind.term, aliases, out)
      break
    case 'unify':
    case 'assign':
      collectTerm(kind.lhs, aliases, out)
      collectTerm(kind.rhs, aliases, out)
      break
    case 'some':
      break
    case 'somein':
      collectTerm(kind.collection, aliases, out)
      break
    case 'every': {
      const domain = resolve(kind.domain, aliases)
      const inner = new Map(aliases)
      const loopValue = domain === undefined ? undefined : { ...domain, path: [...domain.path, WILDCARD] }
      if (loopValue !== undefined && kind.value.type === 'var') inner.set(kind.value.name, loopValue)
      const body: RefTerm[] = []
      for (const e of kind.body) collectExpr(e, inner, body)
      // The elements the body read say more than the whole collection would.
      if (!body.some((ref) => loopValue !== undefined && readsWithin(ref, loopValue)))
        collectTerm(kind.domain, aliases, out)
      out.push(...body)
      break
    }
  }
  for (const w of expr.with) collectTerm(w.value, aliases, out)
}

function readsWithin(ref: RefTerm, base: RefTerm): boolean {
  return ref.head === base.head && base.path.every((step, i) => ref.path[i] === step)
}

function resolve(term: Term, aliases: Aliases): RefTerm | undefined {
  if (term.type === 'var') {
    if (term.name === 'input' || term.name === 'data') return undefined
    return aliases.get(term.name)
  }
  if (term.type !== 'ref' || term.head.type !== 'var') return undefined
  const name = term.head.name
  if (name === 'input' || name === 'data') return term
  const alias = aliases.get(name)
  return alias === undefined ? undefined : { ...alias, path: [...alias.path, ...term.path], loc: term.loc }
}

function collectTerm(term: Term, aliases: Aliases, out: RefTerm[]): void {
  switch (term.type) {
    case 'ref': {
      const resolved = resolve(term, aliases)
      if (resolved !== undefined) out.push(resolved)
      if (term.head.type !== 'var') collectTerm(term.head, aliases, out)
      for (const t of term.path) collectTerm(t, aliases, out)
      break
    }
    case 'var': {
      const alias = aliases.get(term.name)
      if (alias !== undefined) out.push(alias)
      break
    }
    case 'array':
    case 'set':
      for (const t of term.items) collectTerm(t, aliases, out)
      break
    case 'object':
      for (const e of term.entries) {
        collectTerm(e.key, aliases, out)
        collectTerm(e.value, aliases, out)
      }
      break
    case 'call':
      for (const t of term.args) collectTerm(t, aliases, out)
      break
    case 'arraycompr':
    case 'setcompr':
      collectTerm(term.term, aliases, out)
      for (const e of term.body) collectExpr(e, aliases, out)
      break
    case 'objectcompr':
      collectTerm(term.key, aliases, out)
      collectTerm(term.value, aliases, out)
      for (const e of term.body) collectExpr(e, aliases, out)
      break
    default:
      break
  }
}
