import { RegoError, type Location } from '../errors.ts'

/**
 * A syntax error inside the parser, also thrown to backtrack when OPA's grammar tries
 * alternatives. It never leaves the parser: the public functions turn it into a RegoError.
 */
export class ParseFail extends Error {
  readonly row: number
  readonly col: number

  constructor(message: string, row: number, col: number) {
    super(message)
    this.name = 'ParseFail'
    this.row = row
    this.col = col
  }

  toRegoError(file: string): RegoError {
    return new RegoError('rego_parse_error', this.message, { file, row: this.row, col: this.col })
  }
}

/** Runs `parse`, turning a ParseFail or a stack overflow into a rego_parse_error. */
export function withParseErrors<T>(file: string, parse: () => T): T {
  try {
    return parse()
  } catch (e) {
    if (e instanceof ParseFail) throw e.toRegoError(file)
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      const location: Location = { file, row: 1, col: 1 }
      throw new RegoError('rego_parse_error', 'max parsing recursion depth exceeded', location)
    }
    throw e
  }
}
