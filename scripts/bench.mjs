#!/usr/bin/env node
// Benchmarks of the Rego engine on the CoCo policies, run against the compiled dist
// (`npm run build` first). Reads only the repo fixtures under packages/rego/fixtures/coco.
//
//   npm run bench                 full run
//   npm run bench -- --quick      fewer iterations (smoke test)
//   npm run bench -- --json       also print the results as JSON
//   npm run bench -- handshake    the KBS handshake benchmark instead (scripts/bench-handshake.mjs)
//   npm run bench -- verifiers    the TEE verifier benchmark instead (scripts/bench-verifiers.mjs)
//   npm run bench -- image        the encrypted image pull benchmark instead (scripts/bench-image.mjs)
import { readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'

if (process.argv[2] === 'verifiers') {
  await import('./bench-verifiers.mjs')
  process.exit()
}
if (process.argv[2] === 'image') {
  await import('./bench-image.mjs')
  process.exit()
}
if (process.argv[2] === 'handshake') {
  await import('./bench-handshake.mjs')
  process.exit()
}

const dist = new URL('../packages/rego/dist/', import.meta.url)
const { compile, fromJS, toRegoText, RegoObject } = await import(new URL('index.js', dist).href)
const { COCO_FIXTURES, FIXTURE, readFixture } = await import(new URL('coco/fixtures.js', dist).href)
const { tdxEarToken, resourceRequestData } = await import(new URL('coco/ear-token.js', dist).href)
const { tdxClaims, MATCHING_REFERENCE_VALUES } = await import(new URL('coco/tee-claims.js', dist).href)
const { referenceValueHost } = await import(new URL('coco/reference-value-host.js', dist).href)
const { genpolicyText, simplePodPolicyData } = await import(new URL('coco/kata-policy-data.js', dist).href)
const { createAppContainerRequest } = await import(new URL('coco/kata-requests.js', dist).href)
const { parseKataInputs } = await import(new URL('coco/kata-vectors.js', dist).href)

const args = new Set(process.argv.slice(2))
const quick = args.has('--quick')
const scale = quick ? 0.05 : 1

/** Time `fn` per call: warm-up, then `iterations` timed calls. Returns stats in microseconds. */
function measure(fn, iterations, warmup) {
  for (let i = 0; i < warmup; i++) fn()
  const samples = new Float64Array(iterations)
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now()
    fn()
    samples[i] = (performance.now() - t0) * 1000
  }
  samples.sort()
  const at = (q) => samples[Math.min(iterations - 1, Math.floor(q * iterations))]
  let sum = 0
  for (const s of samples) sum += s
  return { iterations, p50: at(0.5), p99: at(0.99), mean: sum / iterations, min: samples[0] }
}

function expectAllowed(name, value) {
  const ok = value === true || (value instanceof RegoObject && value.get('allowed') === true)
  if (!ok) {
    console.error(`${name}: expected an allowed result, got ${value === undefined ? 'undefined' : toRegoText(value)}`)
    process.exit(1)
  }
}

const results = []
function bench(name, fn, { iterations, warmup, target, unit = 'µs' }) {
  const n = Math.max(20, Math.round(iterations * scale))
  const w = Math.max(5, Math.round(warmup * scale))
  const stats = measure(fn, n, w)
  results.push({ name, unit, target, ...stats })
  process.stderr.write(`  ${name}: p50 ${stats.p50.toFixed(1)} µs\n`)
}

// 1. KBS resource policy (Trustee default), rule data.policy.allow, typical EAR token (TDX).
{
  const policy = compile([{ name: 'policy.rego', text: readFixture(FIXTURE.kbsDefault) }])
  const opts = { input: tdxEarToken(), data: resourceRequestData(['default', 'key', 'secret']) }
  expectAllowed('kbs', policy.evalRule('data.policy.allow', opts))
  bench(
    'KBS default resource policy: `data.policy.allow`, TDX EAR token',
    () => policy.evalRule('data.policy.allow', opts),
    {
      iterations: 20000,
      warmup: 5000,
      target: 'p50 < 100 µs',
    },
  )
}

// 2. AS EAR CPU policy: trust_claims and extensions, as the AS evaluates them, TDX claims.
{
  const host = referenceValueHost(MATCHING_REFERENCE_VALUES)
  const policy = compile([{ name: 'default_cpu.rego', text: readFixture(FIXTURE.earCpu) }], {
    hostFunctions: [host.def],
  })
  const opts = { input: fromJS(tdxClaims()) }
  const tc = policy.evalRule('data.policy.trust_claims', opts)
  if (!(tc instanceof RegoObject) || tc.get('executables') !== 3) {
    console.error(`ear cpu: unexpected trust_claims ${tc === undefined ? 'undefined' : toRegoText(tc)}`)
    process.exit(1)
  }
  bench(
    'AS EAR CPU policy: `trust_claims` + `extensions`, TDX claims, host `query_reference_value`',
    () => {
      policy.evalRule('data.policy.trust_claims', opts)
      policy.evalRule('data.policy.extensions', opts)
    },
    { iterations: 5000, warmup: 1000 },
  )
}

// 3. Kata: the largest regorus vector policy (pod-many-layers, Rego v0), first CreateContainerRequest.
{
  const dir = `${COCO_FIXTURES}${FIXTURE.regorusKataData}pod-many-layers/`
  const policy = compile([{ name: 'policy.rego', text: readFileSync(`${dir}policy.rego`, 'utf8') }], { regoVersion: 0 })
  const request = parseKataInputs(readFileSync(`${dir}inputs.txt`, 'utf8')).find(
    (r) => r.name === 'CreateContainerRequest',
  )
  const prints = []
  const opts = { input: request.input, strictBuiltinErrors: false, print: (e) => prints.push(e.message) }
  expectAllowed('pod-many-layers', policy.evalRule('data.agent_policy.CreateContainerRequest', opts))
  bench(
    'Kata regorus vector pod-many-layers (86 KB policy): `CreateContainerRequest`',
    () => {
      prints.length = 0
      policy.evalRule('data.agent_policy.CreateContainerRequest', opts)
    },
    { iterations: 1000, warmup: 200, target: 'p50 < 5 ms' },
  )
}

// 4. Kata: current genpolicy rules.rego + policy_data (simple pod), CreateContainerRequest, with
// prints gathered as the agent does (regorus gather_prints).
const rulesText = genpolicyText(readFixture(FIXTURE.kataRules), simplePodPolicyData(readFixture(FIXTURE.kataSettings)))
{
  const policy = compile([{ name: 'policy.rego', text: rulesText }], { regoVersion: 0 })
  const prints = []
  const opts = {
    input: fromJS(createAppContainerRequest()),
    data: fromJS({ pstate: {} }),
    strictBuiltinErrors: false,
    print: (e) => prints.push(e.message),
  }
  expectAllowed('rules.rego', policy.evalRule('data.agent_policy.CreateContainerRequest', opts))
  bench(
    'Kata rules.rego + policy_data: `CreateContainerRequest`',
    () => {
      prints.length = 0
      policy.evalRule('data.agent_policy.CreateContainerRequest', opts)
    },
    { iterations: 1000, warmup: 200, target: 'p50 < 5 ms' },
  )
  // The same without a print handler: how much of the above is print formatting.
  const quiet = { ...opts, print: undefined }
  bench(
    'Kata rules.rego + policy_data: `CreateContainerRequest`, prints dropped',
    () => policy.evalRule('data.agent_policy.CreateContainerRequest', quiet),
    { iterations: 1000, warmup: 200 },
  )
}

// 5. Compile time (parse + compile) of rules.rego with policy_data.
bench(
  `Compile rules.rego + policy_data (${Math.round(rulesText.length / 1024)} KB, parse + compile)`,
  () => compile([{ name: 'policy.rego', text: rulesText }], { regoVersion: 0 }),
  { iterations: 100, warmup: 10 },
)

function fmt(us) {
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(1)} µs`
}
function status(r) {
  if (!r.target) return ''
  const m = /p50 < (\d+) (µs|ms)/.exec(r.target)
  if (!m) return ''
  const limit = Number(m[1]) * (m[2] === 'ms' ? 1000 : 1)
  return r.p50 < limit ? `met (${r.target})` : `MISSED (${r.target})`
}

console.log(
  `\nNode ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB${quick ? ', --quick' : ''}\n`,
)
console.log('| benchmark | iterations | p50 | p99 | mean | target |')
console.log('| --- | ---: | ---: | ---: | ---: | --- |')
for (const r of results) {
  console.log(`| ${r.name} | ${r.iterations} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.mean)} | ${status(r)} |`)
}
if (args.has('--json')) console.log(JSON.stringify(results, null, 2))
