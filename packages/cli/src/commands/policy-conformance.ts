import { writeFileSync } from 'node:fs'
import {
  formatCaseDetails,
  formatDirectoryLines,
  formatTotals,
  runConformanceSuite,
  summarize,
  toJsonReport,
} from '@carapace/rego/tooling'
import type { Command } from '../command.ts'
import { integerFlag, numberFlag, parseFlags, UsageError } from '../flags.ts'
import { EXIT_FAILURE, EXIT_OK, runAction } from '../output.ts'

const usage = `Usage: carapace policy conformance [options] <dir>

Runs OPA's YAML conformance cases under <dir> (a file, a v0/ or v1/ tree, or a folder holding
both); modules under a v0 path component are Rego v0, all others v1. Prints one line per
directory (passed/run), the failures with --verbose, and last the line
"N passed, M failed, K skipped". Exits 1 when the pass rate, passed / (passed + failed), is
below --min-pass-rate.

Options:
      --min-pass-rate RATE  0 to 1 (default 0)
      --filter TEXT         only cases whose file path or note contains TEXT
      --json FILE           also write a machine-readable report (totals, directories, every case)
      --jobs N              worker threads (default: CPU count, at most 8)
      --case-timeout MS     stop a case that runs longer (default 60000)
  -v, --verbose             list every failed and skipped case with the reason`

export const policyConformance: Command = {
  path: ['policy', 'conformance'],
  summary: "Run OPA's Rego conformance cases and report the pass rate",
  usage,
  run: (args, io) =>
    runAction(policyConformance, io, async () => {
      const { values, positionals } = parseFlags(args, {
        'min-pass-rate': { type: 'string' },
        filter: { type: 'string' },
        json: { type: 'string' },
        jobs: { type: 'string' },
        'case-timeout': { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
      })
      const [root, ...extra] = positionals
      if (root === undefined || extra.length > 0) throw new UsageError('expected exactly one case directory')
      const minPassRate = numberFlag('min-pass-rate', values['min-pass-rate'], 0, 1) ?? 0
      const jobs = integerFlag('jobs', values.jobs, 1)
      const caseTimeoutMs = integerFlag('case-timeout', values['case-timeout'], 1)
      const results = await runConformanceSuite(root, {
        ...(values.filter === undefined ? {} : { filter: values.filter }),
        ...(jobs === undefined ? {} : { jobs }),
        ...(caseTimeoutMs === undefined ? {} : { caseTimeoutMs }),
      })
      if (results.length === 0) {
        io.stderr(`no conformance cases found under ${root}${values.filter ? ` matching ${values.filter}` : ''}\n`)
        return EXIT_FAILURE
      }
      const summary = summarize(results)
      const lines = formatDirectoryLines(summary)
      if (values.verbose) lines.push('', ...formatCaseDetails(results), '')
      lines.push(`pass rate ${(summary.passRate * 100).toFixed(1)}% (minimum ${(minPassRate * 100).toFixed(1)}%)`)
      lines.push(formatTotals(summary))
      if (values.json !== undefined) writeReport(values.json, toJsonReport(summary, results))
      // The totals line stays the last line of the output, also when both streams are merged.
      const passing = summary.passRate >= minPassRate
      if (!passing) io.stderr(`pass rate ${(summary.passRate * 100).toFixed(1)}% is below the minimum\n`)
      io.stdout(`${lines.join('\n')}\n`)
      return passing ? EXIT_OK : EXIT_FAILURE
    }),
}

function writeReport(path: string, json: string): void {
  try {
    writeFileSync(path, `${json}\n`)
  } catch (e) {
    throw new UsageError(`cannot write --json ${path}: ${e instanceof Error ? e.message : String(e)}`)
  }
}
