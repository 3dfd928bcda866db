import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { toJsonText } from '../value/json.ts'
import { loadPolicyPaths, readValueFile } from './load-policy-paths.ts'

const dir = mkdtempSync(join(tmpdir(), 'carapace-loader-'))
after(() => {
  rmSync(dir, { recursive: true, force: true })
})

function write(path: string, text: string): string {
  const full = join(dir, path)
  mkdirSync(join(full, '..'), { recursive: true })
  writeFileSync(full, text)
  return full
}

test('walks a directory: modules by path, data files under their directory', () => {
  write('tree/policy.rego', 'package a\n')
  write('tree/lib/util.rego', 'package lib\n')
  write('tree/data.json', '{"top": 1}')
  write('tree/x/y/data.yaml', 'big: 9223372036854775807\n')
  write('tree/.hidden/skip.json', '{"hidden": true}')
  write('tree/notes.txt', 'ignored')
  const files = loadPolicyPaths([join(dir, 'tree')])
  assert.deepEqual(
    files.modules.map((m) => m.name),
    [join(dir, 'tree/lib/util.rego'), join(dir, 'tree/policy.rego')],
  )
  assert.equal(files.modules[1]?.text, 'package a\n')
  assert.equal(toJsonText(files.data), '{"top":1,"x":{"y":{"big":9223372036854775807}}}')
})

test('a data file named directly goes to the root', () => {
  const a = write('direct/a.json', '{"a": {"b": 1}}')
  const b = write('direct/b.yml', 'a:\n  c: 2\n')
  const p = write('direct/p.rego', 'package p\n')
  const files = loadPolicyPaths([a, b, p])
  assert.equal(toJsonText(files.data), '{"a":{"b":1,"c":2}}')
  assert.deepEqual(
    files.modules.map((m) => m.name),
    [p],
  )
})

test('reports unreadable paths, malformed data and conflicts with the file name', () => {
  assert.throws(() => loadPolicyPaths([join(dir, 'missing.rego')]), /cannot read .*missing.rego/)
  const bad = write('bad/data.json', '{"a": ')
  assert.throws(() => loadPolicyPaths([bad]), /bad\/data.json: invalid JSON/)
  const one = write('conflict/one.json', '{"a": 1}')
  const two = write('conflict/two.json', '{"a": 2}')
  assert.throws(() => loadPolicyPaths([one, two]), /two.json: merge error: data.a/)
})

test('readValueFile picks JSON or YAML by extension', () => {
  assert.equal(toJsonText(readValueFile(write('v/input.json', '[1, 2.5]'))), '[1,2.5]')
  assert.equal(toJsonText(readValueFile(write('v/input.yaml', '- on\n'))), '[true]')
})
