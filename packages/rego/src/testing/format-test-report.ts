import type { PolicyTestResult } from './run-policy-tests.ts'

const RULE = '-'.repeat(80)

/**
 * The report `opa test` prints: tests grouped by file (all of them when verbose, else only those
 * that did not pass) with their errors and prints, then `PASS: n/m` and, when non-zero,
 * `FAIL: n/m` and `ERROR: n/m`.
 */
export function formatTestReport(results: readonly PolicyTestResult[], options: { verbose?: boolean } = {}): string[] {
  const lines: string[] = []
  const shown = options.verbose ? results : results.filter((r) => r.status !== 'pass')
  let file: string | undefined
  for (const r of shown) {
    if (r.file !== file) {
      if (file !== undefined) lines.push('')
      file = r.file
      lines.push(`${file}:`)
    }
    lines.push(`${r.path}: ${r.status.toUpperCase()} (${formatDuration(r.durationMs)})`)
    if (r.error !== undefined) lines.push(...r.error.split('\n').map((l) => `  ${l}`))
    if (r.prints.length > 0) lines.push('', ...r.prints.map((p) => `  ${p}`), '')
  }
  if (shown.length > 0) lines.push(RULE)
  const total = results.length
  const count = (s: PolicyTestResult['status']): number => results.filter((r) => r.status === s).length
  lines.push(`PASS: ${count('pass')}/${total}`)
  if (count('fail') > 0) lines.push(`FAIL: ${count('fail')}/${total}`)
  if (count('error') > 0) lines.push(`ERROR: ${count('error')}/${total}`)
  return lines
}

function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`
  if (ms < 1000) return `${ms.toFixed(1)}ms`
  return `${(ms / 1000).toFixed(2)}s`
}
