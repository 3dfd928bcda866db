#!/usr/bin/env node
// Child process of bench-handshake.mjs: the KBS under test, alone on its event loop.
// Starts `startKbsServer` (as `carapace kbs serve` does: fs storage in a fresh data dir, HTTPS
// with a generated certificate, admin auth on) on 127.0.0.1:0 with the sample TEE allowed, then
// seeds it through the admin API like an operator: the sample reference values and one resource.
// Prints one JSON line {url, certificatePem, resourcePath} on stdout and serves until SIGTERM.
//
//   node scripts/bench-handshake/server.mjs <data-dir>
import { Buffer } from 'node:buffer'
import { readFileSync } from 'node:fs'

const dataDir = process.argv[2]
if (!dataDir) {
  console.error('usage: server.mjs <data-dir>')
  process.exit(2)
}
const dist = (pkg) => new URL(`../../packages/${pkg}/dist/index.js`, import.meta.url).href
const kbs = await import(dist('kbs'))
const { createKbsAdminClient, createNodeFetch, mintAdminToken } = await import(dist('kbs-client'))
const { sampleRegisterMessage } = await import(dist('rvps'))

const RESOURCE_PATH = 'default/bench/secret'

if (typeof kbs.startKbsServer !== 'function') {
  console.error('@carapace/kbs has no startKbsServer yet (build first: npx tsc -b)')
  process.exit(2)
}
const running = await kbs.startKbsServer({ dataDir, listen: '127.0.0.1:0', insecureAllowSampleTee: true })
const fetch = createNodeFetch({ ca: running.certificatePem })
const token =
  running.adminPrivateKeyPath === undefined
    ? undefined
    : mintAdminToken(readFileSync(running.adminPrivateKeyPath, 'utf8'), { ttlSeconds: 3600 })
const admin = createKbsAdminClient({ url: running.url, fetch, ...(token === undefined ? {} : { token }) })
// What the built-in default_cpu policy compares the sample evidence with (affirming).
await admin.setReferenceValue(sampleRegisterMessage('launch_digest', 'abcde'))
await admin.setReferenceValue(sampleRegisterMessage('svn', '1'))
await admin.setReferenceValue(sampleRegisterMessage('major_version', '1', { asInteger: true, asSingleValue: true }))
await admin.setReferenceValue(
  sampleRegisterMessage('minimum_minor_version', '0', { asInteger: true, asSingleValue: true }),
)
await admin.setResource(RESOURCE_PATH, new Uint8Array(Buffer.from('bench secret: 32 bytes of text..', 'utf8')))

process.stdout.write(
  `${JSON.stringify({ url: running.url, certificatePem: running.certificatePem, resourcePath: RESOURCE_PATH })}\n`,
)
const stop = () => {
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
