#!/usr/bin/env node
// Child process of bench-handshake.mjs: the load generator, on its own event loop.
// A small dedicated script rather than autocannon/wrk: the handshake is stateful (a cookie from
// /auth, evidence bound to the nonce it returned, a JWE to decrypt with a key made for it), so
// each "request" is the whole client flow. Every handshake uses the real client library
// (createKbsClient) with a fresh TEE key (P-256) and a fresh cookie jar: POST /auth,
// POST /attest, GET /resource, JWE decrypt. All clients share one node:https keep-alive agent
// (createNodeFetch), so TLS connections are reused as a long-running guest fleet behind a proxy
// would; `concurrency` handshakes are in flight at all times.
//
//   node scripts/bench-handshake/load.mjs '{"url","certificatePem","resourcePath","concurrency","warmupMs","durationMs"}'
// Prints one JSON line: {concurrency, handshakes, errors, seconds, perSecond, p50Ms, p99Ms, meanMs}.
import { Buffer } from 'node:buffer'
import { performance } from 'node:perf_hooks'
import { clearTimeout, setTimeout } from 'node:timers'

const dist = (pkg) => new URL(`../../packages/${pkg}/dist/index.js`, import.meta.url).href
const { createKbsClient, createNodeFetch } = await import(dist('kbs-client'))
const { createSampleAttester } = await import(dist('attester'))

const options = JSON.parse(process.argv[2] ?? '{}')
const { url, certificatePem, resourcePath, concurrency, warmupMs, durationMs } = options
/** A handshake that has not finished after this long counts as failed (and its worker moves on). */
const HANDSHAKE_TIMEOUT_MS = 60_000
const fetch = createNodeFetch({ ca: certificatePem })
const attester = createSampleAttester()
const expected = await handshake()

async function handshake() {
  const client = createKbsClient({ url, fetch, attester })
  let timer
  const watchdog = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`handshake unfinished after ${HANDSHAKE_TIMEOUT_MS} ms`)),
      HANDSHAKE_TIMEOUT_MS,
    )
  })
  try {
    const secret = await Promise.race([client.getResource(resourcePath), watchdog])
    return Buffer.from(secret).toString('utf8')
  } finally {
    clearTimeout(timer)
  }
}

/** Runs `concurrency` workers until `until`; records latencies (ms) of handshakes started after `from`. */
async function run(from, until) {
  const latencies = []
  let errors = 0
  let firstError
  async function worker() {
    while (performance.now() < until) {
      const t0 = performance.now()
      try {
        const secret = await handshake()
        if (secret !== expected) throw new Error('wrong secret')
        if (t0 >= from) latencies.push(performance.now() - t0)
      } catch (error) {
        errors += 1
        firstError ??= error
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { latencies, errors, firstError }
}

const start = performance.now()
const from = start + warmupMs
const until = from + durationMs
const { latencies, errors, firstError } = await run(from, until)
// Throughput counts handshakes that started and finished inside the measured window.
const seconds = (performance.now() - from) / 1000
latencies.sort((a, b) => a - b)
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN
const mean = latencies.reduce((s, x) => s + x, 0) / latencies.length
process.stdout.write(
  `${JSON.stringify({
    concurrency,
    handshakes: latencies.length,
    errors,
    firstError: firstError === undefined ? undefined : String(firstError?.message ?? firstError),
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    meanMs: mean,
  })}\n`,
)
process.exit(0)
