import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { findCaseFiles } from './case-tree.ts'
import { runConformanceSuite, type SuiteOptions } from './run-suite.ts'

const root = mkdtempSync(join(tmpdir(), 'carapace-conformance-'))
after(() => {
  rmSync(root, { recursive: true, force: true })
})

function write(path: string, text: string): void {
  const full = join(root, path)
  mkdirSync(join(full, '..'), { recursive: true })
  writeFileSync(full, text)
}

const one = (note: string, query: string, want: string): string =>
  `  - note: ${note}\n    query: '${query}'\n    modules: ["package p"]\n    ${want}\n`

write(
  'cases/v1/alpha/test-a.yaml',
  '---\ncases:\n' +
    one('alpha/pass', 'results [{"x": 1}]', 'want_result: [{x: 1}]') +
    one('alpha/fail', 'results [{"x": 2}]', 'want_result: [{x: 1}]') +
    one('alpha/hang', 'hang', 'want_result: []') +
    one('alpha/after hang', 'results []', 'want_result: []'),
)
write('cases/v1/alpha/test-broken.yaml', 'cases: [\n')
write(
  'cases/v0/beta/test-b.yml',
  'cases:\n' +
    one(
      'beta/version',
      'echo',
      'want_result: [{x: {modules: [test-0.rego], version: 0, input: undefined, data: {}, strict: false}}]',
    ),
)
write('cases/v1/gamma/test-c.yaml', 'cases:\n' + one('invalidkeyerror/x', 'crash', 'want_result: []'))
write('cases/v1/gamma/README.md', 'not a case file')

const options: SuiteOptions = {
  engineModule: new URL('./fake-engine.js', import.meta.url).href,
  caseTimeoutMs: 1_000,
  jobs: 2,
  skipList: [{ notePrefix: 'invalidkeyerror/', reason: 'skipped by this test' }],
}

test('finds case files with their version and report directory', () => {
  const files = findCaseFiles(join(root, 'cases'))
  assert.deepEqual(
    files.map((f) => [f.name, f.directory, f.regoVersion]),
    [
      ['v0/beta/test-b.yml', 'v0/beta', 0],
      ['v1/alpha/test-a.yaml', 'v1/alpha', 1],
      ['v1/alpha/test-broken.yaml', 'v1/alpha', 1],
      ['v1/gamma/test-c.yaml', 'v1/gamma', 1],
    ],
  )
  assert.deepEqual(
    findCaseFiles(join(root, 'cases/v1/alpha/test-a.yaml')).map((f) => f.name),
    ['v1/alpha/test-a.yaml'],
  )
  assert.throws(() => findCaseFiles(join(root, 'nowhere')), /cannot read/)
})

test('runs every case in workers; a hanging case fails alone and the file goes on', async () => {
  const results = await runConformanceSuite(join(root, 'cases'), options)
  assert.deepEqual(
    results.map((r) => [r.file, r.index, r.note, r.status]),
    [
      ['v0/beta/test-b.yml', 0, 'beta/version', 'pass'],
      ['v1/alpha/test-a.yaml', 0, 'alpha/pass', 'pass'],
      ['v1/alpha/test-a.yaml', 1, 'alpha/fail', 'fail'],
      ['v1/alpha/test-a.yaml', 2, 'alpha/hang', 'fail'],
      ['v1/alpha/test-a.yaml', 3, 'alpha/after hang', 'pass'],
      ['v1/alpha/test-broken.yaml', -1, '(file)', 'fail'],
      ['v1/gamma/test-c.yaml', 0, 'invalidkeyerror/x', 'skip'],
    ],
  )
  assert.match(results[3]?.message ?? '', /timed out after 1000 ms/)
  assert.match(results[5]?.message ?? '', /cannot read case file: invalid YAML/)
})

test('a filter keeps the cases whose file name or note contains it', async () => {
  const byNote = await runConformanceSuite(join(root, 'cases'), { ...options, filter: 'alpha/pass' })
  assert.deepEqual(
    byNote.map((r) => r.note),
    ['alpha/pass'],
  )
  const byFile = await runConformanceSuite(join(root, 'cases'), { ...options, filter: 'v0/' })
  assert.deepEqual(
    byFile.map((r) => r.note),
    ['beta/version'],
  )
})
