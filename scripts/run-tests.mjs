#!/usr/bin/env node
// Runs every compiled test file (packages/*/dist/**/*.test.js) with node's test runner.
// Node 20's `node --test` takes paths, not globs, so this lists them. Arguments filter the files
// by substring. Output: the spec reporter for people, then the TAP summary lines
// (`# tests N`, `# pass N`, `# fail N`, …) that CI logs are searched for.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

function find(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) find(p, out)
    else if (name.endsWith('.test.js')) out.push(p)
  }
  return out
}

const files = []
for (const pkg of readdirSync('packages')) {
  const dist = join('packages', pkg, 'dist')
  try {
    if (statSync(dist).isDirectory()) find(dist, files)
  } catch {
    // a package without a build has no tests to run
  }
}
const filter = process.argv.slice(2)
const selected = filter.length ? files.filter((f) => filter.some((x) => f.includes(x))) : files
if (selected.length === 0) {
  console.error('no test files found; run `npm run build` first')
  process.exit(1)
}

const tmp = mkdtempSync(join(tmpdir(), 'carapace-tests-'))
const tap = join(tmp, 'report.tap')
const r = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...selected,
  ],
  { stdio: 'inherit' },
)
let summary = []
try {
  summary = readFileSync(tap, 'utf8')
    .split('\n')
    .filter((l) => /^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(l))
} catch {
  // no TAP report: the runner itself failed, and its exit status says so
}
rmSync(tmp, { recursive: true, force: true })
if (summary.length > 0) console.log(`\n${summary.join('\n')}`)
process.exit(r.status ?? 1)
