#!/usr/bin/env node
// Runs every compiled test file (packages/*/dist/**/*.test.js) with node's test runner.
// Node 20's `node --test` takes paths, not globs, so this lists them.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
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
const r = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...selected], { stdio: 'inherit' })
process.exit(r.status ?? 1)
