import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { after, describe, test } from 'node:test'
import { StorageError } from './errors.ts'
import { createFsStorage } from './fs-storage.ts'
import { storageContract } from './storage-contract.ts'

const base = mkdtempSync(join(tmpdir(), 'carapace-fs-storage-'))
after(() => {
  rmSync(base, { recursive: true, force: true })
})
let counter = 0
const freshDir = (): string => join(base, `s${counter++}`)
const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const anHourAgo = (): Date => new Date(Date.now() - 3_600_000)

storageContract('fs', () => createFsStorage({ dir: freshDir() }))
storageContract('fs without fsync', () => createFsStorage({ dir: freshDir(), fsync: false }))

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777
}

describe('fs storage', () => {
  test('layout: <dir>/<namespace>/<key with "/" as \\x2F>, raw bytes, files 0600, directories 0700', async () => {
    const dir = freshDir()
    const s = await createFsStorage({ dir })
    await s.put('repository', 'default/key/one', text('secret'))
    assert.equal(await s.putIfAbsent('kbs_protocol_session', 'abc', text('{}')), true)
    await s.close()
    assert.equal(await mode(dir), 0o700)
    assert.equal(await mode(join(dir, 'repository')), 0o700)
    const file = join(dir, 'repository', 'default\\x2Fkey\\x2Fone')
    assert.equal(await readFile(file, 'utf8'), 'secret')
    assert.equal(await mode(file), 0o600)
    assert.equal(await mode(join(dir, 'kbs_protocol_session', 'abc')), 0o600)
    assert.deepEqual(await readdir(join(dir, 'repository')), ['default\\x2Fkey\\x2Fone'])
  })

  test('long keys are split into "<piece>~" directories (mode 0700) that spell the encoded key', async () => {
    const dir = freshDir()
    const s = await createFsStorage({ dir })
    const key = 'a/'.repeat(50) + 'end'
    await s.put('ns', key, text('v'))
    await s.close()
    const pieces = await readdir(join(dir, 'ns'))
    assert.equal(pieces.length, 1)
    const piece = pieces[0]!
    assert.ok(piece.endsWith('~'))
    assert.equal(await mode(join(dir, 'ns', piece)), 0o700)
    const [file] = await readdir(join(dir, 'ns', piece))
    assert.equal(piece.slice(0, -1) + file!, key.replaceAll('/', '\\x2F'))
    assert.equal(await mode(join(dir, 'ns', piece, file!)), 0o600)
  })

  test('crash leftovers: old temp and lock files are removed at start, young ones kept, none listed', async () => {
    const dir = freshDir()
    await mkdir(join(dir, 'ns'), { recursive: true })
    await writeFile(join(dir, 'ns', 'k'), 'committed')
    await writeFile(join(dir, 'ns', '~tmp-1-dead'), 'half-writ')
    await writeFile(join(dir, 'ns', '~tmp-2-live'), 'in flight')
    await writeFile(join(dir, 'ns', '~lock-k'), '')
    await utimes(join(dir, 'ns', '~tmp-1-dead'), anHourAgo(), anHourAgo())
    await utimes(join(dir, 'ns', '~lock-k'), anHourAgo(), anHourAgo())
    const s = await createFsStorage({ dir })
    assert.deepEqual((await readdir(join(dir, 'ns'))).sort(), ['k', '~tmp-2-live'])
    assert.deepEqual(await s.list('ns'), ['k'])
    assert.deepEqual(await s.get('ns', 'k'), text('committed'))
    await s.put('ns', 'k', text('next'))
    assert.deepEqual(await s.get('ns', 'k'), text('next'))
    await s.close()
  })

  test('a stale lock left by a crashed process is broken; a live one makes writers wait, then CONFLICT', async () => {
    const dir = freshDir()
    const s = await createFsStorage({ dir, lockTimeoutMs: 200 })
    await s.put('ns', 'k', text('v1'))
    await writeFile(join(dir, 'ns', '~lock-k'), '')
    await utimes(join(dir, 'ns', '~lock-k'), anHourAgo(), anHourAgo())
    assert.equal(await s.compareAndSwap('ns', 'k', text('v1'), text('v2')), true)
    assert.deepEqual(await s.get('ns', 'k'), text('v2'))
    const longKey = 'L'.repeat(240)
    await s.put('ns', longKey, text('long'))
    await writeFile(join(dir, 'ns', `~lock-${longKey}`), '')
    await utimes(join(dir, 'ns', `~lock-${longKey}`), anHourAgo(), anHourAgo())
    assert.equal(await s.delete('ns', longKey), true)
    await writeFile(join(dir, 'ns', '~lock-k'), '')
    await assert.rejects(
      s.put('ns', 'k', text('v3')),
      (e: unknown) => e instanceof StorageError && e.code === 'CONFLICT',
    )
    await assert.rejects(s.delete('ns', 'k'), (e: unknown) => e instanceof StorageError && e.code === 'CONFLICT')
    assert.deepEqual(await s.get('ns', 'k'), text('v2'))
    assert.deepEqual(
      (await readdir(join(dir, 'ns'))).filter((n) => n.startsWith('~tmp-')),
      [],
      'a failed write leaves no temp file',
    )
    await s.close()
  })

  test('files that are not keys (bad names, misplaced pieces) are not listed', async () => {
    const dir = freshDir()
    const s = await createFsStorage({ dir })
    await s.put('ns', 'good', text('v'))
    await writeFile(join(dir, 'ns', 'bad name'), 'x')
    await writeFile(join(dir, 'ns', '.hidden'), 'x')
    await mkdir(join(dir, 'ns', 'short~'))
    await writeFile(join(dir, 'ns', 'short~', 'tail'), 'x')
    assert.deepEqual(await s.list('ns'), ['good'])
    await s.close()
  })

  test('I/O failures are StorageError IO_ERROR with the cause', async () => {
    const dir = freshDir()
    const s = await createFsStorage({ dir })
    await writeFile(join(dir, 'blocked'), 'a file where the namespace directory should be')
    await assert.rejects(s.put('blocked', 'k', text('v')), (e: unknown) => {
      assert.ok(e instanceof StorageError)
      assert.equal(e.code, 'IO_ERROR')
      assert.ok(e.cause instanceof Error)
      assert.match(e.message, /blocked/)
      return true
    })
    await s.close()
    await assert.rejects(createFsStorage({ dir: join(dir, 'blocked', 'below') }), (e: unknown) => {
      return e instanceof StorageError && e.code === 'IO_ERROR'
    })
  })

  test('a relative directory works', async () => {
    const dir = freshDir()
    const s = await createFsStorage({ dir: relative(process.cwd(), dir) })
    await s.put('ns', 'a/b', text('v'))
    await s.close()
    assert.equal(await readFile(join(dir, 'ns', 'a\\x2Fb'), 'utf8'), 'v')
  })

  test("two instances on one directory see each other's writes", async () => {
    const dir = freshDir()
    const a = await createFsStorage({ dir })
    const b = await createFsStorage({ dir })
    await a.put('ns', 'x/y', text('from a'))
    assert.deepEqual(await b.get('ns', 'x/y'), text('from a'))
    await b.put('ns', 'x/y', text('from b'))
    assert.deepEqual(await a.get('ns', 'x/y'), text('from b'))
    assert.equal(await a.delete('ns', 'x/y'), true)
    assert.equal(await b.get('ns', 'x/y'), undefined)
    assert.deepEqual(await b.list('ns'), [])
    await Promise.all([a.close(), b.close()])
  })

  test('two instances race putIfAbsent and compareAndSwap: one winner, no lost update', async () => {
    const dir = freshDir()
    const instances = [await createFsStorage({ dir }), await createFsStorage({ dir })]
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => instances[i % 2]!.putIfAbsent('race', 'id', text(`w${i}`))),
    )
    assert.equal(results.filter(Boolean).length, 1)
    await instances[0]!.put('race', 'counter', text('0'))
    await Promise.all(Array.from({ length: 20 }, (_, i) => increment(instances[i % 2]!, 'counter')))
    assert.deepEqual(await instances[1]!.get('race', 'counter'), text('20'))
    await Promise.all(instances.map((s) => s.close()))
  })

  test('separate processes: compareAndSwap increments from 3 processes are all counted', async () => {
    const dir = freshDir()
    const s = await createFsStorage({ dir })
    await s.put('race', 'counter', text('0'))
    const moduleUrl = new URL('./fs-storage.js', import.meta.url).href
    const script = `
      import { createFsStorage } from ${JSON.stringify(moduleUrl)}
      const s = await createFsStorage({ dir: process.argv[1] })
      const won = await s.putIfAbsent('race', 'first', new TextEncoder().encode(String(process.pid)))
      for (let i = 0; i < 15; i++) {
        for (;;) {
          const cur = await s.get('race', 'counter')
          const next = new TextEncoder().encode(String(Number(new TextDecoder().decode(cur)) + 1))
          if (await s.compareAndSwap('race', 'counter', cur, next)) break
        }
      }
      await s.close()
      process.stdout.write(won ? 'won' : 'lost')`
    const outputs = await Promise.all([1, 2, 3].map(() => runNode(script, dir)))
    assert.equal(outputs.filter((o) => o === 'won').length, 1, outputs.join(','))
    assert.deepEqual(await s.get('race', 'counter'), text('45'))
    await s.close()
  })
})

async function increment(s: Awaited<ReturnType<typeof createFsStorage>>, key: string): Promise<void> {
  for (;;) {
    const current = await s.get('race', key)
    const next = text(String(Number(new TextDecoder().decode(current)) + 1))
    if (await s.compareAndSwap('race', key, current!, next)) return
  }
}

function runNode(script: string, arg: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, arg], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(out)
      else reject(new StorageError('IO_ERROR', `child exited with ${String(code)}: ${err}`))
    })
  })
}
