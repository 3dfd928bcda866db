import type { CompiledPolicy, CompileOptions, EvalOptions, ModuleSource, PreparedQuery, QueryResult } from '../api.ts'
import type { Term } from '../ast/ast.ts'
import { RegoError, type Location } from '../errors.ts'
import { parseJson } from '../value/json.ts'
import { isObject, RegoObject, RegoSet, type Value } from '../value/value.ts'
import type { ConformanceEngine } from './engine.ts'

/**
 * A scripted stand-in for the Rego engine, for the runner's own tests (in process and in worker
 * threads). A query is a command:
 * - `results <json>`: the results, a JSON list of objects (variable → value); `{"$set": [...]}` is a
 *   set, `{"$object": [[key, value], ...]}` an object with any keys
 * - `throw <code> <message>`: a RegoError at test-0.rego:3
 * - `crash`: a TypeError; `hang`: an endless loop
 * - `echo`: one result `x` describing the call (modules, version, input, data, strict)
 * A module whose text is `broken` fails to compile. `input_term` text `ref` is not ground; any
 * other input_term is JSON.
 */
export const conformanceEngine: ConformanceEngine = {
  compile(modules: readonly ModuleSource[], options: CompileOptions): CompiledPolicy {
    if (modules.some((m) => m.text === 'broken')) {
      throw new RegoError('rego_parse_error', 'unexpected token', { file: modules[0]?.name ?? '', row: 1, col: 1 })
    }
    return {
      prepareQuery: (query) => prepare(query, modules, options),
      evalRule: () => undefined,
      rulePaths: [],
      modules: [],
    }
  },
  parseTerm(text: string): Term {
    if (text === 'ref') return { type: 'ref', head: { type: 'var', name: 'x', loc: LOC }, path: [], loc: LOC }
    return toTerm(parseJson(text))
  },
}

const LOC: Location = { file: '', row: 1, col: 1 }

function prepare(query: string, modules: readonly ModuleSource[], options: CompileOptions): PreparedQuery {
  return {
    eval(opts: EvalOptions = {}): QueryResult[] {
      const [command = '', ...rest] = query.split(' ')
      const arg = rest.join(' ')
      switch (command) {
        case 'results':
          return (parseJson(arg) as Value[]).map((row) => {
            const bindings = new Map<string, Value>()
            if (isObject(row))
              for (const [k, v] of row.entries()) if (typeof k === 'string') bindings.set(k, withSets(v))
            return bindings
          })
        case 'throw': {
          const [code = '', ...message] = arg.split(' ')
          throw new RegoError(code as RegoError['code'], message.join(' '), { file: 'test-0.rego', row: 3, col: 5 })
        }
        case 'crash':
          throw new TypeError('cannot read properties of undefined')
        case 'hang':
          for (;;) {
            // a runaway evaluation that ignores its bounds
          }
        case 'input_term_value':
          return [new Map([['input_term_value', 'evaluated']])]
        case 'echo': {
          const x = RegoObject.from([
            ['modules', modules.map((m) => m.name)],
            ['version', options.regoVersion ?? 1],
            ['input', opts.input === undefined ? 'undefined' : opts.input],
            ['data', opts.data ?? 'undefined'],
            ['strict', opts.strictBuiltinErrors ?? false],
          ])
          return [new Map([['x', x]])]
        }
        default:
          throw new RegoError('rego_parse_error', `fake engine: unknown query ${query}`)
      }
    },
  }
}

/** `{"$set": [...]}` in scripted results stands for a set, `{"$object": [[k, v]...]}` for an object. */
function withSets(v: Value): Value {
  if (Array.isArray(v)) return v.map(withSets)
  if (isObject(v)) {
    const items = v.get('$set')
    if (v.size === 1 && Array.isArray(items)) return RegoSet.from(items.map(withSets))
    const pairs = v.get('$object')
    if (v.size === 1 && Array.isArray(pairs)) {
      return RegoObject.from(pairs.map((p) => (Array.isArray(p) ? p : []).map(withSets) as [Value, Value]))
    }
    const o = new RegoObject()
    for (const [k, val] of v.entries()) o.set(withSets(k), withSets(val))
    return o
  }
  return v
}

function toTerm(v: Value): Term {
  if (v === null) return { type: 'null', loc: LOC }
  if (typeof v === 'boolean') return { type: 'boolean', value: v, loc: LOC }
  if (typeof v === 'number' || typeof v === 'bigint') return { type: 'number', value: v, text: String(v), loc: LOC }
  if (typeof v === 'string') return { type: 'string', value: v, loc: LOC }
  if (Array.isArray(v)) return { type: 'array', items: v.map(toTerm), loc: LOC }
  if (v instanceof RegoSet) return { type: 'set', items: v.values().map(toTerm), loc: LOC }
  const items = v.get('$set')
  if (v.size === 1 && Array.isArray(items)) return { type: 'set', items: items.map(toTerm), loc: LOC }
  return { type: 'object', entries: v.entries().map(([k, val]) => ({ key: toTerm(k), value: toTerm(val) })), loc: LOC }
}
