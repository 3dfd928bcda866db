import type { CaseResult } from './run-suite.ts'

export interface DirectorySummary {
  readonly directory: string
  readonly passed: number
  readonly failed: number
  readonly skipped: number
}

export interface ConformanceSummary {
  readonly passed: number
  readonly failed: number
  readonly skipped: number
  /** passed / (passed + failed): skipped cases do not count; 0 when nothing ran. */
  readonly passRate: number
  readonly directories: readonly DirectorySummary[]
}

/** Counts per directory (sorted by name) and in total. */
export function summarize(results: readonly CaseResult[]): ConformanceSummary {
  const byDir = new Map<string, { passed: number; failed: number; skipped: number }>()
  for (const r of results) {
    let d = byDir.get(r.directory)
    if (!d) byDir.set(r.directory, (d = { passed: 0, failed: 0, skipped: 0 }))
    if (r.status === 'pass') d.passed++
    else if (r.status === 'fail') d.failed++
    else d.skipped++
  }
  const directories = [...byDir.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([directory, d]) => ({ directory, ...d }))
  const sum = (f: (d: DirectorySummary) => number): number => directories.reduce((n, d) => n + f(d), 0)
  const passed = sum((d) => d.passed)
  const failed = sum((d) => d.failed)
  return {
    passed,
    failed,
    skipped: sum((d) => d.skipped),
    passRate: passed + failed === 0 ? 0 : passed / (passed + failed),
    directories,
  }
}

/** The last line of a run, parsed by CI: `N passed, M failed, K skipped`. */
export function formatTotals(summary: ConformanceSummary): string {
  return `${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`
}

/** One line per directory: `v1/aggregates  72/72`, with `(n skipped)` when some were skipped. */
export function formatDirectoryLines(summary: ConformanceSummary): string[] {
  const width = Math.max(0, ...summary.directories.map((d) => d.directory.length))
  const countWidth = Math.max(0, ...summary.directories.map((d) => String(d.passed + d.failed).length))
  return summary.directories.map((d) => {
    const ran = d.passed + d.failed
    const counts = `${String(d.passed).padStart(countWidth)}/${ran}`
    const skipped = d.skipped > 0 ? `  (${d.skipped} skipped)` : ''
    return `${d.directory.padEnd(width)}  ${counts}${skipped}`.trimEnd()
  })
}

/** Failed and skipped cases with their reasons, for `--verbose`. */
export function formatCaseDetails(results: readonly CaseResult[]): string[] {
  const lines: string[] = []
  for (const r of results) {
    if (r.status === 'pass') continue
    const where = r.index >= 0 ? `${r.file}#${r.index}` : r.file
    lines.push(`${r.status === 'fail' ? 'FAIL' : 'SKIP'} ${where} ${r.note}`)
    for (const line of (r.message ?? '').split('\n')) if (line) lines.push(`    ${line}`)
  }
  return lines
}

/** A machine-readable report: totals, per-directory counts and every case's status. */
export function toJsonReport(summary: ConformanceSummary, results: readonly CaseResult[]): string {
  return JSON.stringify(
    {
      ...summary,
      cases: results.map((r) => ({
        file: r.file,
        index: r.index,
        note: r.note,
        status: r.status,
        durationMs: Math.round(r.durationMs * 10) / 10,
        ...(r.message === undefined ? {} : { message: r.message }),
      })),
    },
    null,
    2,
  )
}
