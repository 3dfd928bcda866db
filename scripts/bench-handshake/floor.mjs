#!/usr/bin/env node
// Child process of bench-handshake.mjs: the crypto floor, alone on one event loop.
// The cryptographic work of one handshake, with the project's own functions, nothing else (no
// HTTP, no storage, no policy, no admin): what a handshake cannot go below on one core.
//   client: TEE P-256 key generation and JWK export; SHA-384 of the JCS runtime data;
//           JWE decrypt (ECDH-ES+A256KW + A256GCM)
//   server: SHA-384 of the JCS runtime data (the AS recomputes the binding); ES256 signing of
//           the EAR token; verification of that token as the KBS does it (header JWK import,
//           ES256 verify, claims); JWE encrypt to the TEE key (ephemeral P-256 key, ECDH-ES,
//           Concat KDF, AES key wrap, A256GCM)
//
//   node scripts/bench-handshake/floor.mjs '{"warmupMs","durationMs"}'
// Prints one JSON line: {iterations, seconds, perSecond, steps: {name: µs per call}}.
import { Buffer } from 'node:buffer'
import { createHash, randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'

const dist = (pkg) => new URL(`../../packages/${pkg}/dist/index.js`, import.meta.url).href
const protocol = await import(dist('protocol'))
const { createEarSigner, createEarBroker } = await import(dist('attestation-service'))
const { createEarVerifier } = await import(dist('kbs'))

const { warmupMs, durationMs } = JSON.parse(process.argv[2] ?? '{}')
const { canonicalize, decryptResponse, encryptResponse, exportTeePubKey, generateTeeKeyPair, runtimeDataObject } =
  protocol
const broker = createEarBroker({ signer: createEarSigner() })
const verifier = createEarVerifier({ trustedCertsPem: [], insecureHeaderJwk: true })
const secret = new Uint8Array(Buffer.from('bench secret: 32 bytes of text..', 'utf8'))

/** A submod shaped like the one the AS issues for sample evidence (same claim sizes). */
function submods(runtimeData, reportData) {
  return {
    cpu0: {
      trustVector: { executables: 3, hardware: 2, configuration: 2 },
      policyId: 'default',
      annotatedEvidence: {
        sample: { svn: '1', launch_digest: 'abcde', platform_version: { major: 1, minor: 4 }, debug: false },
        report_data: Buffer.from(reportData).toString('base64'),
        runtime_data_claims: runtimeData,
        init_data_claims: null,
      },
      extensions: {},
    },
  }
}

const steps = {
  'TEE key generation (P-256) + JWK export': 0,
  'SHA-384 of JCS runtime data (client)': 0,
  'SHA-384 of JCS runtime data (AS)': 0,
  'ES256 token sign (EAR broker)': 0,
  'ES256 token verify (KBS verifier)': 0,
  'JWE encrypt (ECDH-ES+A256KW, A256GCM)': 0,
  'JWE decrypt': 0,
}
const names = Object.keys(steps)

async function once(timed) {
  let t = performance.now()
  const lap = (i) => {
    if (!timed) return
    const now = performance.now()
    steps[names[i]] += now - t
    t = now
  }
  const teeKey = generateTeeKeyPair('EC-P256')
  const teePubKey = exportTeePubKey(teeKey)
  lap(0)
  const nonce = randomBytes(32).toString('base64')
  const runtimeData = runtimeDataObject({ nonce, teePubKey, additionalEvidence: '' })
  const reportData = createHash('sha384').update(canonicalize(runtimeData), 'utf8').digest()
  lap(1)
  const asDigest = createHash('sha384').update(canonicalize(runtimeData), 'utf8').digest()
  if (!asDigest.equals(reportData)) throw new Error('binding mismatch')
  lap(2)
  const { token } = broker.issue(submods(runtimeData, reportData))
  lap(3)
  const claims = await verifier.verify(token)
  lap(4)
  const jwe = encryptResponse(secret, protocol.teePubKeyFromClaims(claims))
  lap(5)
  const plain = decryptResponse(jwe, teeKey)
  lap(6)
  if (plain.length !== secret.length) throw new Error('decrypt mismatch')
}

const start = performance.now()
while (performance.now() - start < warmupMs) await once(false)
let iterations = 0
const from = performance.now()
while (performance.now() - from < durationMs) {
  await once(true)
  iterations += 1
}
const seconds = (performance.now() - from) / 1000
const perCall = Object.fromEntries(names.map((n) => [n, (steps[n] * 1000) / iterations]))
process.stdout.write(`${JSON.stringify({ iterations, seconds, perSecond: iterations / seconds, steps: perCall })}\n`)
