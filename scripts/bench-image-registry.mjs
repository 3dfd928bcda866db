#!/usr/bin/env node
// Registry pull throughput: our client (RegistrySource → LayoutDestination, digests verified while
// streaming) against Debian's `skopeo copy docker://… oci:…` on the same image, from a local
// docker-registry. Needs `npm run build` and scripts/install-system-deps.sh (docker-registry, skopeo).
// This measures the transport only; decrypt + unpack belong to the pull pipeline's benchmark.
//
//   node scripts/bench-image-registry.mjs                 one 256 MiB layer, 3 rounds
//   node scripts/bench-image-registry.mjs --size 32 --rounds 1 --json
import { execFile, spawn } from 'node:child_process'
import { createCipheriv, createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { Buffer } from 'node:buffer'

const dist = new URL('../packages/image/dist/', import.meta.url)
const image = await import(new URL('index.js', dist).href)
const { startRegistry } = await import(new URL('registry/test-support/start-registry.js', dist).href)

const argv = process.argv.slice(2)
const option = (name, fallback) => {
  const i = argv.indexOf(name)
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback
}
const sizeMiB = option('--size', 256)
const rounds = option('--rounds', 3)

/** A pseudo-random (incompressible) layer of `size` bytes streamed into the layout; returns its descriptor. */
async function writeBlob(dir, stream) {
  const tmp = join(dir, 'blobs', 'sha256', 'tmp')
  const hash = createHash('sha256')
  let size = 0
  stream.on('data', (c) => {
    hash.update(c)
    size += c.length
  })
  await pipeline(stream, createWriteStream(tmp))
  const hex = hash.digest('hex')
  await rename(tmp, join(dir, 'blobs', 'sha256', hex))
  return { digest: `sha256:${hex}`, size }
}

async function makeLayout(dir) {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true })
  const keystream = createCipheriv('aes-128-ctr', Buffer.alloc(16, 9), Buffer.alloc(16))
  let left = sizeMiB * 1024 * 1024
  const layer = await writeBlob(
    dir,
    new Readable({
      read() {
        const n = Math.min(left, 1 << 20)
        left -= n
        this.push(n === 0 ? null : keystream.update(Buffer.alloc(n)))
      },
    }),
  )
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [layer.digest] } }),
  )
  const configBlob = await writeBlob(dir, Readable.from([config]))
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: image.OCI_MANIFEST,
      config: { mediaType: image.OCI_CONFIG, ...configBlob },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
    }),
  )
  await new image.LayoutDestination(dir, 'v1').putManifest({ bytes: manifest, mediaType: image.OCI_MANIFEST })
}

/** Our pull in a child process, so its peak memory (maxRSS) is its own. */
const CHILD = `
const image = await import(process.argv[1])
const [host, out] = process.argv.slice(2)
const t0 = performance.now()
await image.copyImage(
  new image.RegistrySource(image.parseDockerReference(host + '/bench/big:v1'), { tlsVerify: false }),
  new image.LayoutDestination(out, 'v1'),
)
console.log(JSON.stringify({ ms: performance.now() - t0, maxRssKiB: process.resourceUsage().maxRSS }))
`

function ours(host, out) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      CHILD,
      new URL('index.js', dist).href,
      host,
      out,
    ])
    let stdout = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.pipe(process.stderr)
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`our pull exited ${code}`)),
    )
  })
}

function skopeo(host, out) {
  const t0 = performance.now()
  return new Promise((resolve, reject) => {
    const args = [
      '--insecure-policy',
      'copy',
      '--src-tls-verify=false',
      `docker://${host}/bench/big:v1`,
      `oci:${out}:v1`,
    ]
    execFile('skopeo', args, (error, _stdout, stderr) =>
      error ? reject(new Error(stderr)) : resolve({ ms: performance.now() - t0 }),
    )
  })
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const tmp = await mkdtemp(join(tmpdir(), 'carapace-bench-image-'))
const registry = await startRegistry()
try {
  const src = join(tmp, 'src')
  await makeLayout(src)
  await image.copyImage(
    new image.LayoutSource(src, 'v1'),
    new image.RegistryDestination(image.parseDockerReference(`${registry.host}/bench/big:v1`), { tlsVerify: false }),
  )
  const oursMs = []
  const skopeoMs = []
  let maxRssKiB = 0
  for (let i = 0; i < rounds; i++) {
    const a = join(tmp, `ours-${i}`)
    const b = join(tmp, `skopeo-${i}`)
    const r = await ours(registry.host, a)
    oursMs.push(r.ms)
    maxRssKiB = Math.max(maxRssKiB, r.maxRssKiB)
    skopeoMs.push((await skopeo(registry.host, b)).ms)
    await rm(a, { recursive: true, force: true })
    await rm(b, { recursive: true, force: true })
  }
  const result = {
    layerMiB: sizeMiB,
    rounds,
    oursMedianMs: Math.round(median(oursMs)),
    skopeoMedianMs: Math.round(median(skopeoMs)),
    speedRatio: Number((median(skopeoMs) / median(oursMs)).toFixed(2)),
    oursPeakRssMiB: Math.round(maxRssKiB / 1024),
  }
  console.log(
    `registry pull of one ${sizeMiB} MiB layer (median of ${rounds}): ours ${result.oursMedianMs} ms, ` +
      `skopeo ${result.skopeoMedianMs} ms, ratio skopeo/ours ${result.speedRatio} (≥ 1 = at least as fast), ` +
      `our peak RSS ${result.oursPeakRssMiB} MiB`,
  )
  if (argv.includes('--json')) console.log(JSON.stringify(result))
  await writeFile(join(tmp, 'done'), '')
} finally {
  await registry.stop()
  await rm(tmp, { recursive: true, force: true })
}
