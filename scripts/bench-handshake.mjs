#!/usr/bin/env node
// Handshake benchmark of the KBS (issue 3), against the compiled dist (`npm run build` first).
// Three processes, so that no two of them share an event loop:
//   1. scripts/bench-handshake/server.mjs: the KBS as `carapace kbs serve` runs it (startKbsServer,
//      fs storage in a fresh temp data dir, HTTPS on 127.0.0.1 with its generated certificate),
//      seeded through the admin API;
//   2. scripts/bench-handshake/load.mjs: the load generator, a small dedicated script on the real
//      client library and one node:https keep-alive agent; one run per concurrency level;
//   3. scripts/bench-handshake/floor.mjs: the crypto floor, run after the server has stopped.
// Reports handshakes/s, p50/p99 latency, the floor and the ratio handshake/floor throughput.
//
//   npm run bench -- handshake                 (or: node scripts/bench-handshake.mjs)
//   npm run bench -- handshake --quick         2 s windows instead of 10 s (smoke test)
//   npm run bench -- handshake --json          also print the raw results as JSON
//   ... --concurrency 1,16,64 --duration 20    other levels / window (seconds)
import { spawn } from 'node:child_process'
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { clearTimeout, setTimeout } from 'node:timers'

const argv = process.argv.slice(2).filter((a) => a !== 'handshake')
const flag = (name) => argv.includes(name)
const value = (name, fallback) => {
  const i = argv.indexOf(name)
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback
}
const quick = flag('--quick')
const durationMs = Number(value('--duration', quick ? '2' : '10')) * 1000
const warmupMs = quick ? 500 : 2000
const levels = value('--concurrency', '1,64').split(',').map(Number)
if (!(durationMs > 0) || levels.some((c) => !Number.isInteger(c) || c < 1)) {
  console.error('usage: bench-handshake.mjs [--quick] [--json] [--duration S] [--concurrency 1,64]')
  process.exit(2)
}
const here = new URL('./bench-handshake/', import.meta.url)
const script = (name) => new URL(name, here).pathname

/** Runs a child node script; resolves with the first JSON line it prints on stdout. */
function child(name, args, options = {}) {
  const proc = spawn(process.execPath, [script(name), ...args], {
    stdio: ['ignore', 'pipe', options.stderr ?? 'inherit'],
  })
  const firstLine = new Promise((resolve, reject) => {
    const lines = createInterface({ input: proc.stdout })
    lines.once('line', (line) => resolve(JSON.parse(line)))
    proc.once('exit', (code) => reject(new Error(`${name} exited with ${String(code)} before reporting`)))
  })
  return { proc, firstLine }
}

const work = mkdtempSync(join(tmpdir(), 'carapace-bench-'))
const logPath = join(work, 'kbs.log')
const results = { levels: [] }
const loadBefore = loadavg()[0]
try {
  const server = child('server.mjs', [join(work, 'data')], {
    stderr: openSync(logPath, 'w'),
  })
  const target = await server.firstLine
  try {
    for (const concurrency of levels) {
      process.stderr.write(`  handshakes at concurrency ${concurrency}...\n`)
      const load = child('load.mjs', [JSON.stringify({ ...target, concurrency, warmupMs, durationMs })])
      // The load generator's own watchdog fails a stuck handshake after 60 s; this is the backstop.
      const backstop = setTimeout(() => load.proc.kill('SIGKILL'), warmupMs + durationMs + 120_000)
      const result = await load.firstLine.finally(() => clearTimeout(backstop))
      if (result.errors > 0)
        process.stderr.write(`    ${result.errors} failed handshakes, first: ${result.firstError}\n`)
      results.levels.push(result)
    }
  } finally {
    server.proc.kill('SIGTERM')
    await new Promise((resolve) => server.proc.once('exit', resolve))
  }
  process.stderr.write('  crypto floor...\n')
  results.floor = await child('floor.mjs', [JSON.stringify({ warmupMs, durationMs })]).firstLine
} catch (error) {
  process.stderr.write(`${String(error)}\nKBS log (last lines):\n`)
  try {
    process.stderr.write(readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n'))
  } catch {
    // no log written
  }
  process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true })
}

if (results.floor !== undefined) {
  const ms = (x) => `${x.toFixed(2)} ms`
  const floor = results.floor.perSecond
  console.log(
    `\nNode ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${loadBefore.toFixed(2)} before${quick ? ', --quick' : ''}\n`,
  )
  console.log('| concurrency | handshakes | handshakes/s | p50 | p99 | mean | errors | ratio to floor |')
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of results.levels) {
    console.log(
      `| ${r.concurrency} | ${r.handshakes} | ${r.perSecond.toFixed(1)} | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${ms(r.meanMs)} | ${r.errors} | ${(r.perSecond / floor).toFixed(2)} |`,
    )
  }
  console.log(`\nCrypto floor: ${floor.toFixed(1)} handshakes/s on one core (${results.floor.iterations} iterations)\n`)
  console.log('| floor step | µs per handshake |')
  console.log('| --- | ---: |')
  for (const [name, us] of Object.entries(results.floor.steps)) console.log(`| ${name} | ${us.toFixed(1)} |`)
  if (flag('--json')) console.log(JSON.stringify(results, null, 2))
}
