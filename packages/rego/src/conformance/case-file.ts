import { RegoError } from '../errors.ts'
import { parseYamlValue } from '../loader/yaml-value.ts'
import { isObject, type RegoObject, type Value } from '../value/value.ts'

/** One OPA conformance case (upstream `v1/test/cases/cases.go`), as read from a YAML file. */
export interface ConformanceCase {
  /** Position in the file's `cases` list: notes are not unique, file + index is. */
  readonly index: number
  readonly note: string
  readonly query: string
  readonly modules: readonly string[]
  /** The base data document; absent means `{}`. */
  readonly data: Value | undefined
  /** The input as JSON; `inputTerm` overrides it. Absent (and no inputTerm) means no input. */
  readonly input: Value | undefined
  /** The input as Rego term source text. */
  readonly inputTerm: string | undefined
  /** Expected result set: one object of query variable → JSON value per result. */
  readonly wantResult: readonly RegoObject[] | undefined
  readonly sortBindings: boolean
  /** Expected substring of the error text `file:row: code: message`. */
  readonly wantError: string | undefined
  readonly wantErrorCode: string | undefined
  readonly strictError: boolean
}

/**
 * Parse one conformance case file (`cases: [...]`). YAML is read as 1.1, as OPA does, with exact
 * numbers. Throws `invalid_argument` when the file is not a case file.
 */
export function parseCaseFile(text: string): ConformanceCase[] {
  const doc = parseYamlValue(text)
  const cases = isObject(doc) ? doc.get('cases') : undefined
  if (!Array.isArray(cases)) throw new RegoError('invalid_argument', 'a case file must have a `cases` list')
  return cases.map((c, index) => toCase(c, index))
}

function toCase(raw: Value, index: number): ConformanceCase {
  if (!isObject(raw)) throw invalid(index, 'is not a map')
  const str = (field: string): string | undefined => {
    const v = raw.get(field)
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'string') throw invalid(index, `field ${field} must be a string`)
    return v
  }
  const bool = (field: string): boolean => {
    const v = raw.get(field)
    if (v === undefined || v === null) return false
    if (typeof v !== 'boolean') throw invalid(index, `field ${field} must be a boolean`)
    return v
  }
  const modules = raw.get('modules') ?? []
  if (!Array.isArray(modules) || !modules.every((m) => typeof m === 'string')) {
    throw invalid(index, 'field modules must be a list of strings')
  }
  const query = str('query')
  if (query === undefined) throw invalid(index, 'has no query')
  return {
    index,
    note: str('note') ?? `case ${index}`,
    query,
    modules,
    data: raw.get('data') ?? undefined,
    input: raw.get('input'),
    inputTerm: str('input_term'),
    wantResult: toWantResult(raw.get('want_result'), index),
    sortBindings: bool('sort_bindings'),
    wantError: str('want_error'),
    wantErrorCode: str('want_error_code'),
    strictError: bool('strict_error'),
  }
}

function toWantResult(v: Value | undefined, index: number): readonly RegoObject[] | undefined {
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v)) throw invalid(index, 'field want_result must be a list')
  return v.map((row) => {
    if (!isObject(row)) throw invalid(index, 'each want_result entry must be a map')
    return row
  })
}

function invalid(index: number, message: string): RegoError {
  return new RegoError('invalid_argument', `case ${index} ${message}`)
}
