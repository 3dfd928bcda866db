import type { Location } from '../errors.ts'

/**
 * Tokens produced by the lexer. Words are always `ident` tokens: whether a word is a keyword
 * depends on the Rego version and on `future.keywords` imports seen so far, so the parser decides.
 */
export type TokenKind =
  | 'ident'
  | 'number'
  | 'string'
  | 'eof'
  | 'illegal'
  | '['
  | ']'
  | '{'
  | '}'
  | '('
  | ')'
  | ','
  | ':'
  | ';'
  | '.'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '&'
  | '|'
  | '='
  | '=='
  | ':='
  | '!='
  | '<'
  | '<='
  | '>'
  | '>='

export interface Token {
  readonly kind: TokenKind
  /** The source text: the word, the number literal, the raw string literal with its quotes. */
  readonly text: string
  /** For strings: the decoded value. For illegal tokens: the lexer's message ('' when none). */
  readonly value: string
  readonly row: number
  readonly col: number
  /** Whitespace or a comment separates this token from the previous one. */
  readonly spaced: boolean
  /** A newline separates this token from the previous one. */
  readonly newline: boolean
  /** The word is a keyword in some Rego version (whether it is one now is the parser's call). */
  readonly keyword: boolean
  /** The token's location, made on first use by the parser. */
  loc: Location | undefined
}

/** How OPA names token kinds in "unexpected X token" messages. */
const DISPLAY: Readonly<Record<TokenKind, string>> = {
  ident: 'identifier',
  number: 'number',
  string: 'string',
  eof: 'eof',
  illegal: 'illegal',
  '[': '[',
  ']': ']',
  '{': '{',
  '}': '}',
  '(': '(',
  ')': ')',
  ',': ',',
  ':': ':',
  ';': ';',
  '.': '.',
  '+': 'plus',
  '-': 'minus',
  '*': 'mul',
  '/': 'div',
  '%': 'rem',
  '&': 'and',
  '|': 'or',
  '=': 'eq',
  '==': 'equal',
  ':=': 'assign',
  '!=': 'neq',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
}

export function displayKind(kind: TokenKind): string {
  return DISPLAY[kind]
}
