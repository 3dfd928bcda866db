import type { WorkMeter } from '../../work.ts'
import { TemplateError, type Arg, type BlockNode, type Pipeline, type TemplateNode } from './template-parser.ts'

/**
 * Executes a parsed template over data shaped as OPA passes it to Go: maps with string keys,
 * slices, strings, booleans, nil, and numbers as json.Number (a string type, so `"0"` is true
 * and it compares only with strings). Missing map keys are errors (`missingkey=error`).
 */

/** A number from the data: Go's json.Number, whose kind is string. */
export class JsonNumber {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
}

export type GoValue = string | number | boolean | null | JsonNumber | GoValue[] | Map<string, GoValue>

const NO_VALUE = Symbol('no value')
type Result = GoValue | typeof NO_VALUE

/** Unwinds to the enclosing range for `{{break}}` and `{{continue}}`. */
class LoopSignal extends Error {
  readonly kind: 'break' | 'continue'
  constructor(kind: 'break' | 'continue') {
    super(kind)
    this.name = 'LoopSignal'
    this.kind = kind
  }
}

function typeOf(v: Result): string {
  if (v === NO_VALUE || v === null) return '<nil>'
  if (v instanceof JsonNumber) return 'json.Number'
  if (Array.isArray(v)) return '[]interface {}'
  if (v instanceof Map) return 'map[string]interface {}'
  return typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float64') : typeof v === 'boolean' ? 'bool' : 'string'
}

function truth(v: Result): boolean {
  if (v === NO_VALUE || v === null) return false
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') return v !== 0
  if (typeof v === 'string') return v !== ''
  if (v instanceof JsonNumber) return v.text !== ''
  if (Array.isArray(v)) return v.length > 0
  return v.size > 0
}

/** fmt's %v. */
export function formatValue(v: Result): string {
  if (v === NO_VALUE) return '<no value>'
  if (v === null) return '<nil>'
  if (v instanceof JsonNumber) return v.text
  if (Array.isArray(v)) return '[' + v.map(formatValue).join(' ') + ']'
  if (v instanceof Map) {
    const keys = [...v.keys()].sort()
    return 'map[' + keys.map((k) => `${k}:${formatValue(v.get(k) as GoValue)}`).join(' ') + ']'
  }
  return String(v)
}

/** Go's basic kinds for comparison: json.Number compares as a string. */
function basic(v: Result, where: string): ['string' | 'number' | 'bool', string | number | boolean] {
  if (typeof v === 'string') return ['string', v]
  if (v instanceof JsonNumber) return ['string', v.text]
  if (typeof v === 'number') return ['number', v]
  if (typeof v === 'boolean') return ['bool', v]
  throw new TemplateError(`template: ${where}: error calling eq: invalid type for comparison`)
}

function compare(a: Result, b: Result, where: string, name: string): number {
  const [ka, va] = basic(a, where)
  const [kb, vb] = basic(b, where)
  if (ka !== kb) throw new TemplateError(`template: ${where}: error calling ${name}: incompatible types for comparison`)
  if (ka === 'bool' && name !== 'eq' && name !== 'ne') {
    throw new TemplateError(`template: ${where}: error calling ${name}: invalid type for comparison`)
  }
  return va < vb ? -1 : va > vb ? 1 : 0
}

function printf(format: string, args: Result[]): string {
  let i = 0
  return format.replace(/%([%vsdqtfx])/g, (_m, verb: string) => {
    if (verb === '%') return '%'
    const a = args[i++]
    if (a === undefined) return `%!${verb}(MISSING)`
    if (verb === 'q') return JSON.stringify(formatValue(a))
    return formatValue(a)
  })
}

/**
 * Runs a template. The meter counts the nodes executed (ranges nest, so a short template can run
 * for long), the text written and the strings functions build (a variable can double each turn).
 */
class Executor {
  private out = ''
  private readonly vars: [string, GoValue][] = []
  private readonly meter: WorkMeter

  constructor(root: GoValue, meter: WorkMeter) {
    this.vars.push(['$', root])
    this.meter = meter
  }

  run(nodes: readonly TemplateNode[], dot: GoValue): string {
    this.list(nodes, dot)
    return this.out
  }

  private write(text: string): void {
    this.meter.addText(text.length)
    this.out += text
  }

  private list(nodes: readonly TemplateNode[], dot: GoValue): void {
    for (const n of nodes) this.node(n, dot)
  }

  private node(n: TemplateNode, dot: GoValue): void {
    this.meter.add(1)
    switch (n.kind) {
      case 'text':
        this.write(n.text)
        return
      case 'break':
      case 'continue':
        throw new LoopSignal(n.kind)
      case 'action': {
        const v = this.pipeline(n.pipe, dot, n.where)
        if (n.pipe.decl.length === 0) this.write(formatValue(v))
        return
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length
        const v = this.pipeline(n.pipe, dot, n.where)
        if (truth(v)) this.list(n.list, n.kind === 'with' ? (v as GoValue) : dot)
        else this.list(n.elseList, dot)
        this.vars.length = mark
        return
      }
      case 'range':
        this.range(n, dot)
        return
    }
  }

  private range(n: BlockNode, dot: GoValue): void {
    const mark = this.vars.length
    const decl = n.pipe.decl
    const v = this.pipeline({ ...n.pipe, decl: [] }, dot, n.where)
    let items: [GoValue, GoValue][]
    if (v === NO_VALUE || v === null) items = []
    else if (Array.isArray(v)) items = v.map((x, i) => [i, x])
    else if (v instanceof Map) items = [...v.keys()].sort().map((k) => [k, v.get(k) as GoValue])
    else if (typeof v === 'number' && Number.isInteger(v)) {
      this.meter.add(Math.max(0, v))
      items = Array.from({ length: Math.max(0, v) }, (_x, i) => [i, i])
    } else throw new TemplateError(`template: ${n.where}: range can't iterate over ${formatValue(v)}`)
    if (items.length === 0) {
      this.list(n.elseList, dot)
      return
    }
    for (const [key, elem] of items) {
      this.vars.length = mark
      if (decl.length === 1) this.vars.push([decl[0] as string, elem])
      if (decl.length === 2) this.vars.push([decl[0] as string, key], [decl[1] as string, elem])
      try {
        this.list(n.list, elem)
      } catch (e) {
        if (!(e instanceof LoopSignal)) throw e
        if (e.kind === 'break') break
      }
    }
    this.vars.length = mark
  }

  private pipeline(pipe: Pipeline, dot: GoValue, where: string): Result {
    let value: Result | undefined
    for (const cmd of pipe.commands) value = this.command(cmd, dot, where, value)
    const result = value as Result
    const stored = result === NO_VALUE ? null : result
    if (pipe.decl.length > 0) {
      const name = pipe.decl[0] as string
      if (pipe.assign) {
        const slot = [...this.vars].reverse().find(([n]) => n === name)
        if (!slot) throw new TemplateError(`template: ${where}: undefined variable: ${name}`)
        slot[1] = stored
      } else {
        this.vars.push([name, stored])
      }
    }
    return result
  }

  private command(cmd: readonly Arg[], dot: GoValue, where: string, piped: Result | undefined): Result {
    const [head, ...rest] = cmd
    if (head?.kind === 'func') {
      const args = rest.map((a) => this.arg(a, dot, where))
      if (piped !== undefined) args.push(piped)
      return this.call(head.name, args, where)
    }
    if (piped !== undefined || rest.length > 0) {
      throw new TemplateError(`template: ${where}: can't give argument to non-function ${describe(head)}`)
    }
    return this.arg(head as Arg, dot, where)
  }

  private arg(a: Arg, dot: GoValue, where: string): Result {
    switch (a.kind) {
      case 'dot':
        return dot
      case 'string':
        return a.value
      case 'number':
        return a.value
      case 'bool':
        return a.value
      case 'nil':
        return null
      case 'func':
        return this.call(a.name, [], where)
      case 'pipe':
        return this.pipeline(a.pipe, dot, where)
      case 'variable': {
        const slot = [...this.vars].reverse().find(([n]) => n === a.name)
        if (!slot) throw new TemplateError(`template: ${where}: undefined variable: ${a.name}`)
        return this.fields(slot[1], a.names, where)
      }
      case 'field': {
        const base = a.base ? this.arg(a.base, dot, where) : dot
        return this.fields(base, a.names, where)
      }
    }
  }

  private fields(v: Result, names: readonly string[], where: string): Result {
    let cur = v
    for (const name of names) {
      if (cur instanceof Map) {
        if (!cur.has(name)) throw new TemplateError(`template: ${where}: map has no entry for key "${name}"`)
        cur = cur.get(name) as GoValue
      } else if (cur === null || cur === NO_VALUE) {
        throw new TemplateError(`template: ${where}: nil pointer evaluating interface {}.${name}`)
      } else {
        throw new TemplateError(`template: ${where}: can't evaluate field ${name} in type ${typeOf(cur)}`)
      }
    }
    return cur
  }

  private call(name: string, args: Result[], where: string): Result {
    const result = this.callFunction(name, args, where)
    if (typeof result === 'string') this.meter.addText(result.length)
    return result
  }

  private callFunction(name: string, args: Result[], where: string): Result {
    const need = (n: number): void => {
      if (args.length < n)
        throw new TemplateError(`template: ${where}: wrong number of args for ${name}: want ${n} got ${args.length}`)
    }
    switch (name) {
      case 'and': {
        need(1)
        for (const a of args) if (!truth(a)) return a
        return args[args.length - 1] as Result
      }
      case 'or': {
        need(1)
        for (const a of args) if (truth(a)) return a
        return args[args.length - 1] as Result
      }
      case 'not':
        need(1)
        return !truth(args[0] as Result)
      case 'len': {
        need(1)
        const a = args[0] as Result
        if (typeof a === 'string') return Buffer.byteLength(a)
        if (a instanceof JsonNumber) return a.text.length
        if (Array.isArray(a)) return a.length
        if (a instanceof Map) return a.size
        throw new TemplateError(`template: ${where}: error calling len: len of type ${typeOf(a)}`)
      }
      case 'index': {
        need(1)
        let cur = args[0] as Result
        for (const key of args.slice(1)) {
          if (Array.isArray(cur) && typeof key === 'number') {
            if (key < 0 || key >= cur.length)
              throw new TemplateError(`template: ${where}: error calling index: index out of range: ${key}`)
            cur = cur[key] as GoValue
          } else if (cur instanceof Map && (typeof key === 'string' || key instanceof JsonNumber)) {
            const k = typeof key === 'string' ? key : key.text
            cur = cur.has(k) ? (cur.get(k) as GoValue) : NO_VALUE
          } else {
            throw new TemplateError(`template: ${where}: error calling index: cannot index ${typeOf(cur)}`)
          }
        }
        return cur
      }
      case 'eq': {
        need(2)
        return args.slice(1).some((b) => compare(args[0] as Result, b, where, 'eq') === 0)
      }
      case 'ne':
        need(2)
        return compare(args[0] as Result, args[1] as Result, where, 'ne') !== 0
      case 'lt':
        need(2)
        return compare(args[0] as Result, args[1] as Result, where, 'lt') < 0
      case 'le':
        need(2)
        return compare(args[0] as Result, args[1] as Result, where, 'le') <= 0
      case 'gt':
        need(2)
        return compare(args[0] as Result, args[1] as Result, where, 'gt') > 0
      case 'ge':
        need(2)
        return compare(args[0] as Result, args[1] as Result, where, 'ge') >= 0
      case 'print':
        return args.map(formatValue).join('')
      case 'println':
        return args.map(formatValue).join(' ') + '\n'
      case 'printf':
        need(1)
        return printf(formatValue(args[0] as Result), args.slice(1))
      case 'html':
        return args
          .map(formatValue)
          .join('')
          .replace(
            /[&<>"'\0]/g,
            (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;', '\0': '\uFFFD' })[c] ?? c,
          )
      case 'urlquery':
        return encodeURIComponent(args.map(formatValue).join('')).replace(/%20/g, '+')
      default:
        throw new TemplateError(`template: ${where}: function "${name}" not defined`)
    }
  }
}

function describe(a: Arg | undefined): string {
  if (!a) return ''
  if (a.kind === 'field') return '.' + a.names.join('.')
  if (a.kind === 'variable') return [a.name, ...a.names].join('.')
  return a.kind
}

export function executeTemplate(nodes: readonly TemplateNode[], data: GoValue, meter: WorkMeter): string {
  return new Executor(data, meter).run(nodes, data)
}
