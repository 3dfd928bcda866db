import type { Module } from '../ast/ast.ts'
import type { Location } from '../errors.ts'

/** A test rule: a rule without arguments whose name starts with `test_`. */
export interface PolicyTest {
  /** Full path, e.g. `data.example.test_allow`. */
  readonly path: string
  /** The module that defines it (the first one, when several do). */
  readonly file: string
  readonly location: Location
}

/** Every test rule of the modules, once each, in module and source order. */
export function findTests(modules: readonly Module[]): PolicyTest[] {
  const tests = new Map<string, PolicyTest>()
  for (const m of modules) {
    for (const rule of m.rules) {
      const [head, ...rest] = rule.head.ref
      if (rest.length > 0 || head?.type !== 'var' || !head.name.startsWith('test_')) continue
      if (rule.head.args !== undefined) continue
      const path = toRulePath([...m.package, head.name])
      if (!tests.has(path)) tests.set(path, { path, file: m.file, location: rule.loc })
    }
  }
  return [...tests.values()]
}

/** `data.a.b` for identifiers, `data.a["b-c"]` for other segments. */
export function toRulePath(segments: readonly string[]): string {
  return segments.reduce(
    (out, s) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `${out}.${s}` : `${out}[${JSON.stringify(s)}]`),
    'data',
  )
}
