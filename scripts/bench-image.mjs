#!/usr/bin/env node
// Encrypted image pull: our `carapace image pull oci:… --decryption-key` (fetch + HMAC-verified
// decrypt + gunzip + diff_id check + unpack to a rootfs, atomically) against Debian's
// `skopeo copy --decryption-key oci:… oci:…` on the same image, plus GNU `tar -xzf` of the layer
// skopeo wrote as the unpack skopeo does not do; and, like for like with skopeo (decrypt only, the
// layer stays compressed), our `carapace image decrypt oci:… oci:… --decryption-key`. Runs alternate (ours first in odd rounds, skopeo
// first in even ones); each command runs under /usr/bin/time for its wall time, CPU time and peak
// RSS; the 1-min load average is printed per round. Needs `npm run build` and skopeo
// (scripts/install-system-deps.sh).
//
//   npm run bench -- image                       one 256 MiB layer (uncompressed tar), 3 rounds
//   npm run bench -- image --size 64 --rounds 1 --json
//   npm run bench -- image --stages              CPU time per pipeline stage, in this process
import { execFile } from 'node:child_process'
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, loadavg, totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { Buffer } from 'node:buffer'

const root = new URL('..', import.meta.url).pathname
const image = await import(new URL('packages/image/dist/index.js', `file://${root}`).href)
const CARAPACE = join(root, 'packages/cli/bin/carapace.js')

const argv = process.argv.slice(2).filter((a) => a !== 'image')
const option = (name, fallback) => {
  const i = argv.indexOf(name)
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback
}
const sizeMiB = option('--size', 256)
const rounds = option('--rounds', 3)
const json = argv.includes('--json')
const stagesOnly = argv.includes('--stages')

/** A tar of 1 MiB files whose 64 KiB chunks are half random, half repeated text (gzip ≈ 2:1). */
function tarStream(totalBytes) {
  const FILE = 1024 * 1024
  const files = Math.ceil(totalBytes / FILE)
  const text = Buffer.alloc(32 * 1024, 'confidential containers keep layers encrypted until attested\n')
  let i = 0
  const header = (name, size) => {
    const h = Buffer.alloc(512)
    h.write(name, 0)
    h.write('0000644\0', 100)
    h.write('0000000\0', 108)
    h.write('0000000\0', 116)
    h.write(`${size.toString(8).padStart(11, '0')}\0`, 124)
    h.write(`${(1700000000).toString(8).padStart(11, '0')}\0`, 136)
    h.write('0', 156)
    h.write('ustar\x0000', 257, 'latin1')
    h.fill(' ', 148, 156)
    let sum = 0
    for (const b of h) sum += b
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
    return h
  }
  return new Readable({
    read() {
      if (i === files) {
        this.push(Buffer.alloc(1024))
        this.push(null)
        i++
        return
      }
      if (i > files) return
      const parts = [header(`data/d${Math.floor(i / 64)}/f${i}.bin`, FILE)]
      for (let off = 0; off < FILE; off += 64 * 1024) parts.push(randomBytes(32 * 1024), text)
      this.push(Buffer.concat(parts))
      i++
    },
  })
}

async function writeBlob(dir, stream, extraHash) {
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
  return { digest: `sha256:${hex}`, size, ...extraHash }
}

async function makePlainLayout(dir) {
  await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true })
  const tar = tarStream(sizeMiB * 1024 * 1024)
  const diff = createHash('sha256')
  tar.on('data', (c) => diff.update(c))
  const gz = tar.pipe(createGzip())
  const layer = await writeBlob(dir, gz)
  const diffId = `sha256:${diff.digest('hex')}`
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [diffId] } }),
  )
  const configBlob = await writeBlob(dir, Readable.from([config]))
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: image.OCI_MANIFEST,
      config: { mediaType: image.OCI_CONFIG, ...configBlob },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    }),
  )
  await new image.LayoutDestination(dir, 'v1').putManifest({ bytes: manifest, mediaType: image.OCI_MANIFEST })
  return layer
}

/** Runs a command under /usr/bin/time; resolves to wall seconds, CPU seconds (user + sys) and peak RSS in MiB. */
function timed(command, args, timeFile) {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/time',
      ['-f', '%e %M %U %S', '-o', timeFile, command, ...args],
      { maxBuffer: 1 << 24 },
      async (error, _out, stderr) => {
        if (error) {
          reject(new Error(`${command} ${args.join(' ')}: ${stderr}`))
          return
        }
        const [seconds, kib, user, sys] = (await readFile(timeFile, 'utf8'))
          .trim()
          .split('\n')
          .pop()
          .split(' ')
          .map(Number)
        resolve({ seconds, rssMiB: kib / 1024, cpuSeconds: user + sys })
      },
    )
  })
}

/** The library pull alone in a child process (no CLI start-up: the CLI loads every package). */
const CHILD = `
const image = await import(process.argv[2])
const [layout, dest, keyFile] = process.argv.slice(3)
const { readFile } = await import('node:fs/promises')
const ref = image.parseImageReference('oci:' + layout + ':v1')
await image.pullImage({
  source: image.openImageSource(ref),
  reference: ref,
  dest,
  policy: { policy: image.parsePolicy('{"default":[{"type":"insecureAcceptAnything"}]}') },
  unwrappers: [image.jweKeyUnwrapper([image.parsePrivateKey(await readFile(keyFile))])],
})
`

/**
 * Each row adds one stage to the pull of the encrypted layer, in this process; CPU time from
 * process.cpuUsage (libuv pool threads included), the median of `rounds`.
 */
async function stages(enc, priv, out) {
  const { createReadStream } = await import('node:fs')
  const { Writable } = await import('node:stream')
  const { createGunzip } = await import('node:zlib')
  const index = JSON.parse(await readFile(join(enc, 'index.json'), 'utf8'))
  const blobPath = (digest) => join(enc, 'blobs', 'sha256', digest.slice(7))
  const manifest = JSON.parse(await readFile(blobPath(index.manifests[0].digest), 'utf8'))
  const config = JSON.parse(await readFile(blobPath(manifest.config.digest), 'utf8'))
  const layer = manifest.layers[0]
  const unwrappers = [image.jweKeyUnwrapper([image.parsePrivateKey(await readFile(priv))])]
  const blob = () => createReadStream(blobPath(layer.digest), { highWaterMark: 1 << 20 })
  const decrypt = async () => (await image.decryptLayer(layer, unwrappers)).stream
  const sink = (each = () => undefined) =>
    new Writable({
      write(chunk, _encoding, callback) {
        each(chunk)
        callback()
      },
    })
  const gunzip = () => createGunzip({ chunkSize: 256 * 1024 })
  const rows = [
    ['read the blob (1 MiB reads)', () => pipeline(blob(), sink())],
    [
      '+ sha256 of the blob',
      () => {
        const h = createHash('sha256')
        return pipeline(
          blob(),
          sink((c) => h.update(c)),
        )
      },
    ],
    ['read + AES-256-CTR + HMAC-SHA256', async () => pipeline(blob(), await decrypt(), sink())],
    ['+ gunzip', async () => pipeline(blob(), await decrypt(), gunzip(), sink())],
    [
      '+ sha256 of the tar (diff_id)',
      async () => {
        const h = createHash('sha256')
        return pipeline(
          blob(),
          await decrypt(),
          gunzip(),
          sink((c) => h.update(c)),
        )
      },
    ],
    [
      '+ tar parse and file writes (unpackLayers)',
      async () => {
        const stream = await decrypt()
        blob().pipe(stream)
        await image.unpackLayers(
          [
            {
              mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
              stream,
              diffId: config.rootfs.diff_ids[0],
              verified: stream.verified,
            },
          ],
          out,
        )
      },
    ],
  ]
  const cpu = rows.map(() => [])
  for (let r = 0; r < rounds; r++) {
    for (const [i, [, run]] of rows.entries()) {
      const before = process.cpuUsage()
      await run()
      const used = process.cpuUsage(before)
      cpu[i].push((used.user + used.system) / 1000)
      await rm(out, { recursive: true, force: true })
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  console.log(
    `Pipeline stages, one ${sizeMiB} MiB layer, CPU time, median of ${rounds} (load ${loadavg()[0].toFixed(1)})`,
  )
  let previous = 0
  for (const [i, [name]] of rows.entries()) {
    const ms = median(cpu[i])
    const added = i === 0 ? ms : ms - (i === 2 ? median(cpu[0]) : previous)
    console.log(`  ${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  (stage ${added.toFixed(0)} ms)`)
    previous = ms
  }
}

const work = await mkdtemp(join(tmpdir(), 'carapace-bench-image-'))
try {
  const child = join(work, 'pull-child.mjs')
  await writeFile(child, CHILD)
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const pub = join(work, 'pub.pem')
  const priv = join(work, 'priv.pem')
  await writeFile(pub, keys.publicKey.export({ type: 'spki', format: 'pem' }))
  await writeFile(priv, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }))
  process.stderr.write(`building a ${sizeMiB} MiB (uncompressed) gzip layer…\n`)
  const plain = join(work, 'plain')
  const plainLayer = await makePlainLayout(plain)
  const enc = join(work, 'enc')
  await image.encryptImage({
    source: new image.LayoutSource(plain, 'v1'),
    destination: new image.LayoutDestination(enc, 'v1'),
    wrappers: [image.jweKeyWrapper([image.parsePublicKey(await readFile(pub))])],
  })
  process.stderr.write(`encrypted layer: ${(plainLayer.size / 1048576).toFixed(1)} MiB on disk\n`)
  if (stagesOnly) {
    await stages(enc, priv, join(work, 'stages-rootfs'))
    await rm(work, { recursive: true, force: true })
    process.exit(0)
  }
  const results = { ours: [], decrypt: [], lib: [], skopeo: [], tar: [] }
  const loads = []
  for (let r = 0; r < rounds; r++) {
    const out = join(work, 'out')
    const timeFile = join(work, 'time.txt')
    const runOurs = () =>
      timed(
        process.execPath,
        [
          CARAPACE,
          'image',
          'pull',
          `oci:${enc}:v1`,
          '--dest',
          join(out, 'ours'),
          '--insecure-policy',
          '--decryption-key',
          priv,
        ],
        timeFile,
      )
    const runDecrypt = () =>
      timed(
        process.execPath,
        [CARAPACE, 'image', 'decrypt', `oci:${enc}:v1`, `oci:${join(out, 'decrypt')}:v1`, '--decryption-key', priv],
        timeFile,
      )
    const runLib = () =>
      timed(
        process.execPath,
        [child, new URL('packages/image/dist/index.js', `file://${root}`).href, enc, join(out, 'lib'), priv],
        timeFile,
      )
    const runSkopeo = () =>
      timed(
        'skopeo',
        [
          '--insecure-policy',
          'copy',
          '--quiet',
          '--decryption-key',
          priv,
          `oci:${enc}:v1`,
          `oci:${join(out, 'skopeo')}:v1`,
        ],
        timeFile,
      )
    const runTar = async () => {
      await mkdir(join(out, 'tar-rootfs'), { recursive: true })
      return timed(
        'tar',
        ['-xzf', join(out, 'skopeo', 'blobs', 'sha256', plainLayer.digest.slice(7)), '-C', join(out, 'tar-rootfs')],
        timeFile,
      )
    }
    await mkdir(out, { recursive: true })
    const load = loadavg()[0]
    // Alternate who goes first, so a load swing does not always hit the same side.
    let ours, dec, lib, sk, tar
    if (r % 2 === 0) {
      ours = await runOurs()
      dec = await runDecrypt()
      sk = await runSkopeo()
      tar = await runTar()
      lib = await runLib()
    } else {
      sk = await runSkopeo()
      tar = await runTar()
      dec = await runDecrypt()
      ours = await runOurs()
      lib = await runLib()
    }
    // like for like: both wrote the plain image's layer blob, byte for byte
    const decBlob = join(out, 'decrypt', 'blobs', 'sha256', plainLayer.digest.slice(7))
    const skBlob = join(out, 'skopeo', 'blobs', 'sha256', plainLayer.digest.slice(7))
    const [decSize, skSize] = await Promise.all([stat(decBlob), stat(skBlob)]).then((st) => st.map((x) => x.size))
    if (decSize !== plainLayer.size || skSize !== plainLayer.size) throw new Error('decrypted layer blobs differ')
    loads.push(load, loadavg()[0])
    results.ours.push(ours)
    results.decrypt.push(dec)
    results.lib.push(lib)
    results.skopeo.push(sk)
    results.tar.push(tar)
    process.stderr.write(
      `round ${r + 1} (load ${load.toFixed(1)}): ours CLI ${ours.seconds}s (cpu ${ours.cpuSeconds.toFixed(2)}s, ${ours.rssMiB.toFixed(0)} MiB), library ${lib.seconds}s (${lib.rssMiB.toFixed(0)} MiB), skopeo copy ${sk.seconds}s (cpu ${sk.cpuSeconds.toFixed(2)}s, ${sk.rssMiB.toFixed(0)} MiB), tar -xzf ${tar.seconds}s, ours decrypt ${dec.seconds}s (cpu ${dec.cpuSeconds.toFixed(2)}s, ${dec.rssMiB.toFixed(0)} MiB); skopeo/ours-decrypt ${(sk.seconds / dec.seconds).toFixed(2)}, skopeo/ours ${(sk.seconds / ours.seconds).toFixed(2)}, (skopeo+tar)/ours ${((sk.seconds + tar.seconds) / ours.seconds).toFixed(2)}\n`,
    )
    await rm(out, { recursive: true, force: true })
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const ours = median(results.ours.map((x) => x.seconds))
  const libSeconds = median(results.lib.map((x) => x.seconds))
  const libPeak = Math.max(...results.lib.map((x) => x.rssMiB))
  const sk = median(results.skopeo.map((x) => x.seconds))
  const tar = median(results.tar.map((x) => x.seconds))
  const peak = Math.max(...results.ours.map((x) => x.rssMiB))
  const dec = median(results.decrypt.map((x) => x.seconds))
  const decCpu = median(results.decrypt.map((x) => x.cpuSeconds))
  const decPeak = Math.max(...results.decrypt.map((x) => x.rssMiB))
  const oursCpu = median(results.ours.map((x) => x.cpuSeconds))
  const skCpu = median(results.skopeo.map((x) => x.cpuSeconds))
  const tarCpu = median(results.tar.map((x) => x.cpuSeconds))
  const mib = sizeMiB
  const summary = {
    sizeMiB: mib,
    compressedMiB: plainLayer.size / 1048576,
    rounds,
    oursSeconds: ours,
    oursMiBps: mib / ours,
    oursPeakRssMiB: peak,
    librarySeconds: libSeconds,
    libraryPeakRssMiB: libPeak,
    libraryRatioVsSkopeoCopyPlusTar: (sk + tar) / libSeconds,
    decryptSeconds: dec,
    decryptCpuSeconds: decCpu,
    decryptPeakRssMiB: decPeak,
    ratioSkopeoCopyVsDecrypt: sk / dec,
    cpuRatioSkopeoCopyVsDecrypt: skCpu / decCpu,
    skopeoCopySeconds: sk,
    skopeoPeakRssMiB: Math.max(...results.skopeo.map((x) => x.rssMiB)),
    tarSeconds: tar,
    ratioVsSkopeoCopy: sk / ours,
    ratioVsSkopeoCopyPlusTar: (sk + tar) / ours,
    oursCpuSeconds: oursCpu,
    skopeoCpuSeconds: skCpu,
    tarCpuSeconds: tarCpu,
    cpuRatioVsSkopeoCopy: skCpu / oursCpu,
    cpuRatioVsSkopeoCopyPlusTar: (skCpu + tarCpu) / oursCpu,
    loadAverage: { min: Math.min(...loads), max: Math.max(...loads) },
    machine: `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  }
  console.log(
    `Encrypted image pull, one ${mib} MiB layer (${summary.compressedMiB.toFixed(1)} MiB gzip+encrypted), median of ${rounds}`,
  )
  console.log(
    `  ours   carapace image pull (CLI process): ${ours.toFixed(2)} s  ${(mib / ours).toFixed(0)} MiB/s  peak RSS ${peak.toFixed(0)} MiB`,
  )
  console.log(
    `  ours   pullImage, library only (no CLI): ${libSeconds.toFixed(2)} s  ${(mib / libSeconds).toFixed(0)} MiB/s  peak RSS ${libPeak.toFixed(0)} MiB`,
  )
  console.log(
    `  skopeo copy --decryption-key (no unpack): ${sk.toFixed(2)} s  peak RSS ${summary.skopeoPeakRssMiB.toFixed(0)} MiB`,
  )
  console.log(`  GNU tar -xzf of skopeo's output:          ${tar.toFixed(2)} s`)
  console.log(
    `  ours   carapace image decrypt (like skopeo): ${dec.toFixed(2)} s  cpu ${decCpu.toFixed(2)} s  peak RSS ${decPeak.toFixed(0)} MiB`,
  )
  console.log(
    `  ratio (skopeo copy) / ours decrypt, like for like: wall ${summary.ratioSkopeoCopyVsDecrypt.toFixed(2)}, CPU ${summary.cpuRatioSkopeoCopyVsDecrypt.toFixed(2)}`,
  )
  console.log(`  ratio (skopeo copy) / ours:       ${summary.ratioVsSkopeoCopy.toFixed(2)}`)
  console.log(`  ratio (skopeo copy + tar) / ours: ${summary.ratioVsSkopeoCopyPlusTar.toFixed(2)}   (target ≥ 1.0)`)
  console.log(`  ratio (skopeo copy + tar) / library: ${summary.libraryRatioVsSkopeoCopyPlusTar.toFixed(2)}`)
  console.log(
    `  CPU time (user + sys), median: ours ${oursCpu.toFixed(2)} s, skopeo ${skCpu.toFixed(2)} s, tar ${tarCpu.toFixed(2)} s; skopeo/ours ${summary.cpuRatioVsSkopeoCopy.toFixed(2)}, (skopeo + tar)/ours ${summary.cpuRatioVsSkopeoCopyPlusTar.toFixed(2)}`,
  )
  console.log(`  machine: ${summary.machine}`)
  console.log(`  1-min load average during the runs: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`)
  if (json) console.log(JSON.stringify(summary))
} finally {
  await rm(work, { recursive: true, force: true })
}
