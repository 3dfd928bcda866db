import assert from 'node:assert/strict'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'node:test'
import { buildTar, chunked, sha256DiffId, type TestEntry } from './test-tar.ts'
import { unpackLayers, type LayerToUnpack } from './unpack-layers.ts'
import { removeTree, scratch, TAR } from './unpack-test-support.ts'
import { UnpackError } from './unpack-error.ts'

/** xorshift32: deterministic, reproducible from the seed named in a failure message. */
function rng(seed: number): () => number {
  let x = seed
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 0x100000000
  }
}
const pick = <T>(next: () => number, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!

const BASE = buildTar([
  { name: 'd/', type: '5' },
  { name: 'd/f', data: 'hello world' },
  { name: 'd/l', type: '2', linkname: '../d/f' },
  { name: 'd/h', type: '1', linkname: 'd/f' },
  { name: 'p', data: 'pax', pax: { path: 'd/pax-file', mtime: '1700000000.25' } },
  { name: 'd/.wh.f' },
  { name: 'd/.wh..wh..opq' },
])

/** Offsets of the header blocks of a valid archive. */
function headerOffsets(tar: Buffer): number[] {
  const out: number[] = []
  for (let o = 0; o + 512 <= tar.length && tar[o] !== 0;) {
    out.push(o)
    const size = parseInt(tar.toString('latin1', o + 124, o + 135), 8)
    o += 512 + Math.ceil(size / 512) * 512
  }
  return out
}

function fixChecksum(tar: Buffer, at: number): void {
  if (at + 512 > tar.length) return
  tar.fill(0x20, at + 148, at + 156)
  let sum = 0
  for (let i = at; i < at + 512; i++) sum += tar[i]!
  tar.write(`${sum.toString(8).padStart(6, '0')}\0 `, at + 148, 8, 'latin1')
}

/** Byte flips inside valid-checksum headers: exercises numbers, names, magic and the layout after them. */
function mutated(next: () => number): Buffer {
  const tar = Buffer.from(BASE)
  const headers = headerOffsets(BASE)
  for (let i = 1 + Math.floor(next() * 3); i > 0; i--) {
    const h = pick(next, headers)
    const at = h + Math.floor(next() * 345)
    tar[at] = next() < 0.7 ? '/.0175x\0'.charCodeAt(Math.floor(next() * 8)) : Math.floor(next() * 256)
    fixChecksum(tar, h)
  }
  return next() < 0.15 ? tar.subarray(0, Math.floor(next() * tar.length)) : tar
}

const PARTS = ['a', 'b', '..', '.', '', 'l', '.wh.a', '.wh.l', '.wh..wh..opq', '.wh...']
const LINKS = ['a', 'b/a', '../a', '/etc/passwd', 'l', '../outside/sentinel', '.']

/** Random entries over a tiny namespace, so names collide, climb, whiteout and link to each other. */
function randomEntries(next: () => number): TestEntry[] {
  const out: TestEntry[] = []
  for (let i = Math.floor(next() * 8); i >= 0; i--) {
    const name = Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(next, PARTS)).join('/')
    const type = pick(next, ['0', '0', '5', '2', '1', '6'])
    const e: TestEntry = { name: name === '' ? 'a' : name, type, linkname: pick(next, LINKS) }
    if (type === '0') e.data = 'x'.repeat(Math.floor(next() * 600))
    if (next() < 0.2) e.pax = { path: pick(next, ['a/b', '../x', 'l/x', 'b/../a']) }
    out.push(e)
  }
  return out
}

const layerOf = (data: Buffer): LayerToUnpack => ({
  mediaType: TAR,
  stream: chunked(data, 97),
  diffId: sha256DiffId(data),
})

test('mutated and random archives unpack inside the root or fail with an UnpackError, leaving nothing', async (t) => {
  const { dir, dest } = await scratch()
  const outcomes = new Map<string, number>()
  try {
    await mkdir(join(dir, 'outside'))
    await writeFile(join(dir, 'outside', 'sentinel'), 'x')
    for (let seed = 1; seed <= 300; seed++) {
      const next = rng(seed)
      const layers =
        seed % 2 === 0
          ? [layerOf(mutated(next))]
          : [layerOf(buildTar(randomEntries(next))), layerOf(buildTar(randomEntries(next)))]
      let outcome = 'ok'
      try {
        await unpackLayers(layers, dest, { devices: 'skip' })
        await removeTree(dest)
      } catch (e) {
        assert.ok(e instanceof UnpackError, `seed ${seed}: ${String(e)}`)
        outcome = e.code
      }
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
      assert.deepEqual(await readdir(dir), ['outside'], `seed ${seed}: leftovers`)
      assert.deepEqual(await readdir(join(dir, 'outside')), ['sentinel'], `seed ${seed}: wrote outside`)
    }
  } finally {
    await removeTree(dir)
  }
  t.diagnostic(JSON.stringify(Object.fromEntries(outcomes)))
  // Both paths must be exercised: archives that unpack and archives refused for several reasons.
  assert.ok((outcomes.get('ok') ?? 0) > 20, JSON.stringify([...outcomes]))
  assert.ok(outcomes.size > 5, JSON.stringify([...outcomes]))
})
