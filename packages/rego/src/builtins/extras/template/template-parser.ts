/**
 * A parser for the subset of Go's text/template that strings.render_template needs: text,
 * `{{pipeline}}` actions with fields, variables, literals, function calls and `|`, variable
 * declarations and assignments, `if`/`else if`/`else`, `range` (with `else`, `break`,
 * `continue`), `with`, comments and the `{{-`/`-}}` trim markers.
 */

export class TemplateError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TemplateError'
  }
}

export type Arg =
  | { readonly kind: 'dot' }
  | { readonly kind: 'field'; readonly base: Arg | undefined; readonly names: readonly string[] }
  | { readonly kind: 'variable'; readonly name: string; readonly names: readonly string[] }
  | { readonly kind: 'func'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'nil' }
  | { readonly kind: 'pipe'; readonly pipe: Pipeline }

export interface Pipeline {
  readonly decl: readonly string[]
  /** `=` rather than `:=`. */
  readonly assign: boolean
  readonly commands: readonly (readonly Arg[])[]
}

export interface BlockNode {
  readonly kind: 'if' | 'range' | 'with'
  readonly pipe: Pipeline
  readonly list: TemplateNode[]
  readonly elseList: TemplateNode[]
  readonly where: string
}

export type TemplateNode =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipe: Pipeline; readonly where: string }
  | BlockNode
  | { readonly kind: 'break' | 'continue' }

type Tok = { t: 'word' | 'field' | 'var' | 'str' | 'num' | 'punct'; v: string }

const FUNCS = new Set([
  'and',
  'or',
  'not',
  'len',
  'index',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'print',
  'println',
  'printf',
  'html',
  'urlquery',
])

function tokenize(src: string, where: string): Tok[] {
  const out: Tok[] = []
  let i = 0
  while (i < src.length) {
    const rest = src.slice(i)
    const ws = /^\s+/.exec(rest)
    if (ws) {
      i += ws[0].length
      continue
    }
    const m =
      /^(:=|[=|(),])/.exec(rest) ??
      /^"(?:[^"\\]|\\.)*"/.exec(rest) ??
      /^`[^`]*`/.exec(rest) ??
      /^-?(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)/.exec(rest) ??
      /^(?:\.[A-Za-z_][A-Za-z0-9_]*)+|^\./.exec(rest) ??
      /^\$[A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest) ??
      /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest)
    if (!m) throw new TemplateError(`template: ${where}: unexpected ${JSON.stringify(rest[0])} in command`)
    const text = m[0]
    const c = text[0] as string
    const t: Tok['t'] =
      c === '"' || c === '`'
        ? 'str'
        : c === '$'
          ? 'var'
          : c === '.' && text.length > 1 && !/^\.\d/.test(text)
            ? 'field'
            : c === '.'
              ? text === '.'
                ? 'field'
                : 'num'
              : /[-\d]/.test(c)
                ? 'num'
                : /[A-Za-z_]/.test(c)
                  ? 'word'
                  : 'punct'
    out.push({ t, v: text })
    i += text.length
  }
  return out
}

function unquote(s: string): string {
  if (s.startsWith('`')) return s.slice(1, -1)
  return JSON.parse(
    s
      .replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')
      .replace(/\\a/g, '\\u0007')
      .replace(/\\v/g, '\\u000b'),
  ) as string
}

class ActionParser {
  private readonly toks: Tok[]
  private pos = 0
  private readonly where: string
  constructor(toks: Tok[], where: string) {
    this.toks = toks
    this.where = where
  }

  private peek(): Tok | undefined {
    return this.toks[this.pos]
  }

  done(): boolean {
    return this.pos >= this.toks.length
  }

  pipeline(): Pipeline {
    let decl: string[] = []
    let assign = false
    const save = this.pos
    const names: string[] = []
    while (this.peek()?.t === 'var') {
      names.push(this.toks[this.pos++]?.v as string)
      const p = this.peek()
      if (p?.v === ',' && names.length === 1) {
        this.pos++
        continue
      }
      if (p?.v === ':=' || p?.v === '=') {
        assign = p.v === '='
        this.pos++
        decl = names
      }
      break
    }
    if (decl.length === 0) {
      this.pos = save
      assign = false
    }
    const commands: Arg[][] = []
    for (;;) {
      const cmd: Arg[] = []
      while (!this.done() && this.peek()?.v !== '|' && this.peek()?.v !== ')') cmd.push(this.operand())
      if (cmd.length === 0) throw new TemplateError(`template: ${this.where}: missing value for command`)
      commands.push(cmd)
      if (this.peek()?.v !== '|') break
      this.pos++
    }
    return { decl, assign, commands }
  }

  private operand(): Arg {
    const tok = this.toks[this.pos++] as Tok
    switch (tok.t) {
      case 'str':
        return { kind: 'string', value: unquote(tok.v) }
      case 'num': {
        const value = Number(tok.v)
        if (Number.isNaN(value))
          throw new TemplateError(`template: ${this.where}: bad number syntax: ${JSON.stringify(tok.v)}`)
        return { kind: 'number', value, text: tok.v }
      }
      case 'field':
        return tok.v === '.' ? { kind: 'dot' } : { kind: 'field', base: undefined, names: tok.v.slice(1).split('.') }
      case 'var': {
        const [name, ...names] = tok.v.split('.')
        return { kind: 'variable', name: name as string, names }
      }
      case 'word': {
        if (tok.v === 'true' || tok.v === 'false') return { kind: 'bool', value: tok.v === 'true' }
        if (tok.v === 'nil') return { kind: 'nil' }
        if (!FUNCS.has(tok.v)) throw new TemplateError(`template: ${this.where}: function "${tok.v}" not defined`)
        return { kind: 'func', name: tok.v }
      }
      default: {
        if (tok.v !== '(') throw new TemplateError(`template: ${this.where}: unexpected "${tok.v}" in operand`)
        const pipe = this.pipeline()
        if (this.toks[this.pos++]?.v !== ')') throw new TemplateError(`template: ${this.where}: unclosed left paren`)
        const next = this.peek()
        if (next?.t === 'field' && next.v !== '.') {
          this.pos++
          return { kind: 'field', base: { kind: 'pipe', pipe }, names: next.v.slice(1).split('.') }
        }
        return { kind: 'pipe', pipe }
      }
    }
  }
}

interface RawAction {
  readonly text: string
  readonly where: string
}

/** Split source into text and action pieces, applying trim markers and dropping comments. */
function split(src: string): (string | RawAction)[] {
  const out: (string | RawAction)[] = []
  let i = 0
  let line = 1
  let trimNext = false
  while (i < src.length) {
    const open = src.indexOf('{{', i)
    let text = open < 0 ? src.slice(i) : src.slice(i, open)
    if (trimNext) text = text.replace(/^\s+/, '')
    trimNext = false
    if (open < 0) {
      out.push(text)
      break
    }
    let start = open + 2
    if (/^-\s/.test(src.slice(start))) {
      text = text.replace(/\s+$/, '')
      start += 1
    }
    out.push(text)
    const column = open - src.lastIndexOf('\n', open - 1)
    line += (src.slice(i, open).match(/\n/g) ?? []).length
    const close = src.indexOf('}}', start)
    if (close < 0) throw new TemplateError(`template: template:${line}: unclosed action`)
    let end = close
    if (/\s-$/.test(src.slice(start, close))) {
      end = close - 1
      trimNext = true
    }
    const body = src.slice(start, end).trim()
    if (!body.startsWith('/*')) out.push({ text: body, where: `template:${line}:${column + 1}` })
    else if (!body.endsWith('*/')) throw new TemplateError(`template: template:${line}: unclosed comment`)
    line += (src.slice(open, close).match(/\n/g) ?? []).length
    i = close + 2
  }
  return out
}

/** Parse a template; errors carry Go's `template: template:LINE: ...` prefix. */
export function parseTemplate(src: string): TemplateNode[] {
  const pieces = split(src)
  let pos = 0
  const parseList = (stopAt: readonly string[]): [TemplateNode[], string | undefined, RawAction | undefined] => {
    const list: TemplateNode[] = []
    while (pos < pieces.length) {
      const piece = pieces[pos++] as string | RawAction
      if (typeof piece === 'string') {
        if (piece !== '') list.push({ kind: 'text', text: piece })
        continue
      }
      const keyword = /^(if|range|with|else|end|break|continue)\b/.exec(piece.text)?.[1]
      if (keyword === 'end' || keyword === 'else') {
        if (!stopAt.includes(keyword)) throw new TemplateError(`template: ${piece.where}: unexpected {{${keyword}}}`)
        return [list, keyword, piece]
      }
      if (keyword === 'break' || keyword === 'continue') {
        list.push({ kind: keyword })
        continue
      }
      if (keyword === 'if' || keyword === 'range' || keyword === 'with') {
        list.push(parseBlock(keyword, piece.text.slice(keyword.length), piece.where))
        continue
      }
      list.push({ kind: 'action', pipe: parsePipe(piece.text, piece.where), where: piece.where })
    }
    if (stopAt.length > 0) throw new TemplateError('template: template: unexpected EOF')
    return [list, undefined, undefined]
  }
  const parsePipe = (text: string, where: string): Pipeline => {
    const p = new ActionParser(tokenize(text, where), where)
    const pipe = p.pipeline()
    if (!p.done()) throw new TemplateError(`template: ${where}: unexpected token in command`)
    return pipe
  }
  const parseBlock = (kind: 'if' | 'range' | 'with', rest: string, where: string): TemplateNode => {
    const pipe = parsePipe(rest, where)
    const [list, stop, stopPiece] = parseList(['else', 'end'])
    let elseList: TemplateNode[] = []
    if (stop === 'else') {
      const elseRest = (stopPiece?.text ?? '').slice(4).trim()
      const chained = /^(if|with)\b/.exec(elseRest)?.[1] as 'if' | 'with' | undefined
      if (chained) {
        elseList = [parseBlock(chained, elseRest.slice(chained.length), stopPiece?.where ?? where)]
      } else {
        const [l] = parseList(['end'])
        elseList = l
      }
    }
    return { kind, pipe, list, elseList, where }
  }
  return parseList([])[0]
}
