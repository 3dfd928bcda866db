/** Where something is in a policy source: 1-based row and column. */
export interface Location {
  readonly file: string
  readonly row: number
  readonly col: number
}

/**
 * The closed set of error codes the engine raises. The `rego_*` codes are OPA's compile-time
 * codes, the `eval_*` codes OPA's evaluation codes; `eval_limit_error` is ours (step, time or
 * depth bound hit) and `invalid_argument` covers misuse of the API itself.
 */
export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_type_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_builtin_error'
  | 'eval_with_merge_error'
  | 'eval_cancel_error'
  | 'eval_limit_error'
  | 'invalid_argument'

/** An error from parsing, compiling or evaluating Rego, formatted as OPA does. */
export class RegoError extends Error {
  readonly code: RegoErrorCode
  readonly location: Location | undefined
  /** For compile errors: every error found, this one first. */
  readonly errors: readonly RegoError[]

  constructor(
    code: RegoErrorCode,
    message: string,
    location?: Location,
    options?: { cause?: unknown; errors?: readonly RegoError[] },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'RegoError'
    this.code = code
    this.location = location
    this.errors = options?.errors ?? [this]
  }

  /** `file:row: code: message`, the shape OPA prints and conformance cases match against. */
  override toString(): string {
    if (this.errors.length > 1) {
      return `${this.errors.length} errors occurred:\n${this.errors.map((e) => e.formatOne()).join('\n')}`
    }
    return this.formatOne()
  }

  formatOne(): string {
    const where = this.location ? `${this.location.file}:${this.location.row}: ` : ''
    return `${where}${this.code}: ${this.message}`
  }
}

/** Several compile errors at once, reported together as OPA does. */
export function combineErrors(errors: readonly RegoError[]): RegoError {
  const first = errors[0]
  if (!first) throw new RegoError('invalid_argument', 'no errors to combine')
  if (errors.length === 1) return first
  return new RegoError(first.code, first.message, first.location, { errors })
}
