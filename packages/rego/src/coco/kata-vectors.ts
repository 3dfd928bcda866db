import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { compile } from '../index.ts'
import type { CompiledPolicy, PrintEvent } from '../api.ts'
import { RegoError } from '../errors.ts'
import { equal } from '../value/compare.ts'
import { parseJson } from '../value/json.ts'
import { toRegoText } from '../value/rego-text.ts'
import type { Value } from '../value/value.ts'

/**
 * Runs regorus's end-to-end Kata agent policy vectors (`tests/kata/data/<case>/`) the way
 * regorus's own harness does: Rego v0, non-strict builtin errors, prints gathered, one rule
 * evaluation `data.agent_policy.<Request>` per line of `inputs.txt`, no `data` document, and no
 * state ops applied between lines. `outputs.json[i]` must equal the result; `prints.json[i]`
 * (regorus's print output) is compared as a secondary check only.
 */

export interface KataVectorFailure {
  readonly case: string
  /** 0-based index of the request among the non-empty lines of inputs.txt. */
  readonly index: number
  readonly request: string
  readonly expected: string
  /** The result as Rego text, `undefined`, or the error. */
  readonly actual: string
}

export interface KataCaseReport {
  readonly name: string
  readonly total: number
  readonly passed: number
  readonly failures: readonly KataVectorFailure[]
  /** Set when the policy did not compile (then every request counts as failed). */
  readonly compileError?: string
  /** Requests whose print output was compared (0 when the case has no prints.json). */
  readonly printsChecked: number
  readonly printsMatched: number
  /** Index of the first request whose prints differ, with both sides, for diagnosis. */
  readonly firstPrintMismatch?: { index: number; expected: readonly string[]; actual: readonly string[] }
}

export interface KataVectorReport {
  readonly cases: readonly KataCaseReport[]
  readonly total: number
  readonly passed: number
  readonly printsChecked: number
  readonly printsMatched: number
}

/** One request line of inputs.txt: `["ep":"<Request>",<input>],`. */
export interface KataRequestLine {
  readonly name: string
  readonly input: Value
  readonly text: string
}

/** Parse inputs.txt as regorus does: drop `"ep":` and the trailing comma of each non-empty line. */
export function parseKataInputs(text: string): KataRequestLine[] {
  const out: KataRequestLine[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (line === '') continue
    const json = line.replaceAll('"ep":', '').slice(0, -1)
    const parsed = parseJson(json)
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || parsed[1] === undefined) {
      throw new RegoError('invalid_argument', `bad inputs.txt line: ${line.slice(0, 80)}`)
    }
    out.push({ name: parsed[0], input: parsed[1], text: line })
  }
  return out
}

/** The case directories under `dir` (those holding a policy.rego), sorted by name. */
export function listKataCases(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => {
      const p = join(dir, name)
      return statSync(p).isDirectory() && existsSync(join(p, 'policy.rego'))
    })
    .sort()
}

/** regorus's print line: `<file>:<row>: <message>`. */
export function formatPrint(event: PrintEvent): string {
  return `${event.location.file}:${event.location.row}: ${event.message}`
}

function describeError(e: unknown): string {
  return e instanceof RegoError ? e.toString() : e instanceof Error ? `${e.name}: ${e.message}` : String(e)
}

/** Run one case directory. The policy module is named `tests/kata/data/<case>/policy.rego`, as in regorus's prints. */
export function runKataCase(dir: string, name: string): KataCaseReport {
  const caseDir = join(dir, name)
  const requests = parseKataInputs(readFileSync(join(caseDir, 'inputs.txt'), 'utf8'))
  const outputs = parseJson(readFileSync(join(caseDir, 'outputs.json'), 'utf8'))
  if (!Array.isArray(outputs) || outputs.length !== requests.length) {
    throw new RegoError('invalid_argument', `${name}: outputs.json does not have one entry per request`)
  }
  const printsPath = join(caseDir, 'prints.json')
  const prints = existsSync(printsPath) ? (JSON.parse(readFileSync(printsPath, 'utf8')) as string[][]) : undefined

  let policy: CompiledPolicy
  try {
    policy = compile(
      [{ name: `tests/kata/data/${name}/policy.rego`, text: readFileSync(join(caseDir, 'policy.rego'), 'utf8') }],
      {
        regoVersion: 0,
      },
    )
  } catch (e) {
    const compileError = describeError(e)
    return {
      name,
      total: requests.length,
      passed: 0,
      failures: requests.map((r, index) => ({
        case: name,
        index,
        request: r.name,
        expected: toRegoText(outputs[index] ?? null),
        actual: compileError,
      })),
      compileError,
      printsChecked: 0,
      printsMatched: 0,
    }
  }

  const failures: KataVectorFailure[] = []
  let printsChecked = 0
  let printsMatched = 0
  let firstPrintMismatch: KataCaseReport['firstPrintMismatch']
  requests.forEach((request, index) => {
    const expected = outputs[index] as Value
    const gathered: string[] = []
    let actual: string
    let ok = false
    try {
      const result = policy.evalRule(`data.agent_policy.${request.name}`, {
        input: request.input,
        strictBuiltinErrors: false,
        print: (event) => gathered.push(formatPrint(event)),
      })
      ok = result !== undefined && equal(result, expected)
      actual = result === undefined ? 'undefined' : toRegoText(result)
    } catch (e) {
      actual = describeError(e)
    }
    if (!ok) failures.push({ case: name, index, request: request.name, expected: toRegoText(expected), actual })
    const expectedPrints = prints?.[index]
    if (expectedPrints) {
      printsChecked++
      if (expectedPrints.length === gathered.length && expectedPrints.every((p, i) => p === gathered[i]))
        printsMatched++
      else firstPrintMismatch ??= { index, expected: expectedPrints, actual: gathered }
    }
  })
  return {
    name,
    total: requests.length,
    passed: requests.length - failures.length,
    failures,
    printsChecked,
    printsMatched,
    ...(firstPrintMismatch ? { firstPrintMismatch } : {}),
  }
}

/** Run every case under `dir` (a `tests/kata/data` directory). */
export function runKataVectors(dir: string): KataVectorReport {
  const cases = listKataCases(dir).map((name) => runKataCase(dir, name))
  const sum = (f: (c: KataCaseReport) => number): number => cases.reduce((n, c) => n + f(c), 0)
  return {
    cases,
    total: sum((c) => c.total),
    passed: sum((c) => c.passed),
    printsChecked: sum((c) => c.printsChecked),
    printsMatched: sum((c) => c.printsMatched),
  }
}

/** A short human-readable summary: one line per case, then the first failures. */
export function formatKataReport(report: KataVectorReport, maxFailures = 10): string {
  const lines = [
    `kata vectors: ${report.passed}/${report.total} passed; prints matched ${report.printsMatched}/${report.printsChecked} (secondary)`,
  ]
  for (const c of report.cases) {
    const prints = c.printsChecked ? `, prints ${c.printsMatched}/${c.printsChecked}` : ''
    lines.push(
      `  ${c.name}: ${c.passed}/${c.total}${prints}${c.compileError ? ` (compile error: ${c.compileError})` : ''}`,
    )
  }
  const failures = report.cases.flatMap((c) => (c.compileError ? c.failures.slice(0, 1) : c.failures))
  for (const f of failures.slice(0, maxFailures)) {
    lines.push(
      `  FAIL ${f.case}#${f.index} ${f.request}: expected ${f.expected.slice(0, 200)}, got ${f.actual.slice(0, 300)}`,
    )
  }
  return lines.join('\n')
}
