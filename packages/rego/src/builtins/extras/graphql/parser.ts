import {
  GqlError,
  ValueKind,
  type Argument,
  type ChildValue,
  type Directive,
  type Field,
  type FragmentDefinition,
  type GqlType,
  type GqlValue,
  type OperationDefinition,
  type OperationKind,
  type Position,
  type QueryDocument,
  type Selection,
  type ValueKindNumber,
  type VariableDefinition,
} from './ast.ts'
import { Lexer, kindText, tokenText, type Token, type TokenKind } from './lexer.ts'

/**
 * Token handling shared by the query and schema parsers, with gqlparser's error discipline: the
 * first error sticks, and afterwards every read returns the previous token so that parsing
 * unwinds without further errors. A lexing error surfaces only when its token is consumed.
 */
export class Parser {
  private readonly lexer: Lexer
  err: GqlError | undefined
  private peeked = false
  private peekToken: Token = { kind: 'EOF', value: '', pos: { line: 1, column: 1 } }
  private peekError: GqlError | undefined
  prev: Token = { kind: 'EOF', value: '', pos: { line: 1, column: 1 } }

  constructor(input: string) {
    this.lexer = new Lexer(input)
  }

  peek(): Token {
    if (this.err) return this.prev
    if (!this.peeked) {
      ;[this.peekToken, this.peekError] = this.lexer.readToken()
      this.peeked = true
    }
    return this.peekToken
  }

  peekPos(): Position | undefined {
    if (this.err) return undefined
    return this.peek().pos
  }

  error(tok: Token, message: string): void {
    if (this.err) return
    this.err = new GqlError(message, tok.pos)
  }

  next(): Token {
    if (this.err) return this.prev
    if (this.peeked) {
      this.peeked = false
      this.prev = this.peekToken
      this.err = this.peekError
    } else {
      ;[this.prev, this.err] = this.lexer.readToken()
    }
    return this.prev
  }

  expectKeyword(value: string): Token {
    const tok = this.peek()
    if (tok.kind === 'Name' && tok.value === value) return this.next()
    this.error(tok, `Expected ${JSON.stringify(value)}, found ${tokenText(tok)}`)
    return tok
  }

  expect(kind: TokenKind): Token {
    const tok = this.peek()
    if (tok.kind === kind) return this.next()
    this.error(tok, `Expected ${kindText(kind)}, found ${kindText(tok.kind)}`)
    return tok
  }

  skip(kind: TokenKind): boolean {
    if (this.err) return false
    if (this.peek().kind !== kind) return false
    this.next()
    return true
  }

  unexpectedError(): void {
    this.unexpectedToken(this.peek())
  }

  unexpectedToken(tok: Token): void {
    this.error(tok, `Unexpected ${tokenText(tok)}`)
  }

  /** `start item* end`, where the list may be empty; nothing when `start` is absent. */
  many(start: TokenKind, end: TokenKind, item: () => void): void {
    if (!this.skip(start)) return
    while (this.peek().kind !== end && !this.err) item()
    this.next()
  }

  /** `start item+ end`; nothing when `start` is absent. */
  some(start: TokenKind, end: TokenKind, item: () => void): void {
    if (!this.skip(start)) return
    let called = false
    while (this.peek().kind !== end && !this.err) {
      called = true
      item()
    }
    if (!called) {
      this.error(this.peek(), `expected at least one definition, found ${kindText(this.peek().kind)}`)
      return
    }
    this.next()
  }

  parseName(): string {
    return this.expect('Name').value
  }

  parseOperationType(): OperationKind | '' {
    const tok = this.next()
    if (tok.value === 'query' || tok.value === 'mutation' || tok.value === 'subscription') return tok.value
    this.unexpectedToken(tok)
    return ''
  }

  parseVariable(): string {
    this.expect('Dollar')
    return this.parseName()
  }

  parseValueLiteral(isConst: boolean): GqlValue | undefined {
    const token = this.peek()
    let kind: ValueKindNumber
    switch (token.kind) {
      case 'BracketL':
        return this.parseList(isConst)
      case 'BraceL':
        return this.parseObject(isConst)
      case 'Dollar':
        if (isConst) {
          this.unexpectedError()
          return undefined
        }
        return { raw: this.parseVariable(), children: [], kind: ValueKind.Variable, position: token.pos }
      case 'Int':
        kind = ValueKind.Int
        break
      case 'Float':
        kind = ValueKind.Float
        break
      case 'String':
        kind = ValueKind.String
        break
      case 'BlockString':
        kind = ValueKind.Block
        break
      case 'Name':
        kind =
          token.value === 'true' || token.value === 'false'
            ? ValueKind.Boolean
            : token.value === 'null'
              ? ValueKind.Null
              : ValueKind.Enum
        break
      default:
        this.unexpectedError()
        return undefined
    }
    this.next()
    return { raw: token.value, children: [], kind, position: token.pos }
  }

  private parseList(isConst: boolean): GqlValue {
    const children: ChildValue[] = []
    const position = this.peekPos()
    this.many('BracketL', 'BracketR', () => {
      const value = this.parseValueLiteral(isConst)
      if (value) children.push({ name: '', value, position: undefined })
    })
    return { raw: '', children, kind: ValueKind.List, position }
  }

  private parseObject(isConst: boolean): GqlValue {
    const children: ChildValue[] = []
    const position = this.peekPos()
    this.many('BraceL', 'BraceR', () => {
      const fieldPos = this.peekPos()
      const name = this.parseName()
      this.expect('Colon')
      const value = this.parseValueLiteral(isConst)
      if (value) children.push({ name, value, position: fieldPos })
    })
    return { raw: '', children, kind: ValueKind.Object, position }
  }

  parseDirectives(isConst: boolean): Directive[] {
    const directives: Directive[] = []
    while (this.peek().kind === 'At') {
      if (this.err) break
      this.expect('At')
      const position = this.peekPos()
      const name = this.parseName()
      directives.push({ name, arguments: this.parseArguments(isConst), position, location: '' })
    }
    return directives
  }

  parseArguments(isConst: boolean): Argument[] {
    const args: Argument[] = []
    this.many('ParenL', 'ParenR', () => {
      const position = this.peekPos()
      const name = this.parseName()
      this.expect('Colon')
      const value = this.parseValueLiteral(isConst)
      if (value) args.push({ name, value, position })
    })
    return args
  }

  parseTypeReference(): GqlType {
    const t: GqlType = { namedType: '', elem: undefined, nonNull: false, position: undefined }
    if (this.skip('BracketL')) {
      t.position = this.peekPos()
      t.elem = this.parseTypeReference()
      this.expect('BracketR')
    } else {
      t.position = this.peekPos()
      t.namedType = this.parseName()
    }
    if (this.skip('Bang')) {
      t.position = this.peekPos()
      t.nonNull = true
    }
    return t
  }
}

/** Parse a GraphQL query document (gqlparser's ParseQuery). */
export function parseQueryDocument(input: string): { doc: QueryDocument; err: GqlError | undefined } {
  const p = new Parser(input)
  const doc: QueryDocument = { operations: [], fragments: [] }
  while (p.peek().kind !== 'EOF') {
    if (p.err) break
    const tok = p.peek()
    if (tok.kind === 'Name') {
      if (tok.value === 'query' || tok.value === 'mutation' || tok.value === 'subscription') {
        doc.operations.push(parseOperationDefinition(p))
      } else if (tok.value === 'fragment') {
        doc.fragments.push(parseFragmentDefinition(p))
      } else {
        p.unexpectedError()
      }
    } else if (tok.kind === 'BraceL') {
      doc.operations.push(parseOperationDefinition(p))
    } else {
      p.unexpectedError()
    }
  }
  return { doc, err: p.err }
}

function parseOperationDefinition(p: Parser): OperationDefinition {
  if (p.peek().kind === 'BraceL') {
    const position = p.peekPos()
    return {
      operation: 'query',
      name: '',
      variableDefinitions: [],
      directives: [],
      selectionSet: parseRequiredSelectionSet(p),
      position,
    }
  }
  const position = p.peekPos()
  const operation = p.parseOperationType()
  const name = p.peek().kind === 'Name' ? p.next().value : ''
  const variableDefinitions = parseVariableDefinitions(p)
  const directives = p.parseDirectives(false)
  return { operation, name, variableDefinitions, directives, selectionSet: parseRequiredSelectionSet(p), position }
}

function parseVariableDefinitions(p: Parser): VariableDefinition[] {
  const defs: VariableDefinition[] = []
  p.many('ParenL', 'ParenR', () => {
    const position = p.peekPos()
    const variable = p.parseVariable()
    p.expect('Colon')
    const type = p.parseTypeReference()
    const defaultValue = p.skip('Equals') ? p.parseValueLiteral(true) : undefined
    const directives = p.parseDirectives(false)
    defs.push({ variable, type, defaultValue, directives, position, used: false })
  })
  return defs
}

function parseSelections(p: Parser): Selection[] {
  const selections: Selection[] = []
  p.some('BraceL', 'BraceR', () => {
    selections.push(parseSelection(p))
  })
  return selections
}

function parseRequiredSelectionSet(p: Parser): Selection[] {
  const tok = p.peek()
  if (tok.kind !== 'BraceL') {
    p.error(tok, `Expected {, found ${kindText(tok.kind)}`)
    return []
  }
  return parseSelections(p)
}

function parseSelection(p: Parser): Selection {
  return p.peek().kind === 'Spread' ? parseFragment(p) : parseField(p)
}

function parseField(p: Parser): Field {
  const position = p.peekPos()
  const alias = p.parseName()
  const name = p.skip('Colon') ? p.parseName() : alias
  const args = p.parseArguments(false)
  const directives = p.parseDirectives(false)
  const selectionSet = p.peek().kind === 'BraceL' ? parseSelections(p) : []
  return { selection: 'field', alias, name, arguments: args, directives, selectionSet, position }
}

function parseFragment(p: Parser): Selection {
  p.expect('Spread')
  const peek = p.peek()
  if (peek.kind === 'Name' && peek.value !== 'on') {
    const position = p.peekPos()
    const name = parseFragmentName(p)
    return { selection: 'spread', name, directives: p.parseDirectives(false), position }
  }
  const position = p.peekPos()
  let typeCondition = ''
  if (p.peek().value === 'on') {
    p.next()
    typeCondition = p.parseName()
  }
  const directives = p.parseDirectives(false)
  return { selection: 'inline', typeCondition, directives, selectionSet: parseRequiredSelectionSet(p), position }
}

function parseFragmentDefinition(p: Parser): FragmentDefinition {
  const position = p.peekPos()
  p.expectKeyword('fragment')
  const name = parseFragmentName(p)
  const variableDefinition = parseVariableDefinitions(p)
  p.expectKeyword('on')
  const typeCondition = p.parseName()
  const directives = p.parseDirectives(false)
  return { name, variableDefinition, typeCondition, directives, selectionSet: parseRequiredSelectionSet(p), position }
}

function parseFragmentName(p: Parser): string {
  if (p.peek().value === 'on') {
    p.unexpectedError()
    return ''
  }
  return p.parseName()
}
