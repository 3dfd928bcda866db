import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import type { RunningKbs } from '@carapace/kbs'
import { createNodeFetch } from '@carapace/kbs-client'
import { captureIo } from '../captured-io.ts'
import { carapaceInvocation, runKbsServe } from './kbs-serve.ts'

const dir = mkdtempSync(join(tmpdir(), 'carapace-kbs-serve-'))
after(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('carapace kbs serve', () => {
  it('starts on embedded defaults, prints what to do next, logs JSON lines, and stops cleanly', async () => {
    const io = captureIo()
    const dataDir = join(dir, 'data')
    let stop = (): void => undefined
    const stopped = new Promise<void>((resolve) => {
      stop = resolve
    })
    let running: RunningKbs | undefined
    let healthz: number | undefined
    const code = await runKbsServe(['--data-dir', dataDir, '--listen', '127.0.0.1:0'], io, {
      env: {},
      stop: stopped,
      onStarted: (kbs) => {
        running = kbs
        void createNodeFetch({ ca: kbs.certificatePem ?? '' })(`${kbs.url}/healthz`).then((response) => {
          healthz = response.status
          stop()
        }, stop)
      },
    })
    assert.equal(code, 0, io.err())
    assert.equal(healthz, 200)
    const kbs = running
    assert.ok(kbs !== undefined)
    const out = io.out()
    assert.match(out, new RegExp(`URL: +${kbs.url}\n`))
    assert.ok(out.includes(join(dataDir, 'tls', 'server-cert.pem')))
    assert.ok(out.includes(`SHA-256 fingerprint: ${kbs.fingerprintSha256 ?? '?'}`))
    assert.ok(out.includes(`Admin private key:   ${join(dataDir, 'admin', 'admin-key.pem')}`))
    assert.match(out, /denied: sample evidence is never affirming/)
    assert.ok(out.includes(`\n  carapace admin token --key ${join(dataDir, 'admin', 'admin-key.pem')}`))
    assert.doesNotMatch(out, /npx/)
    assert.ok(
      out.includes(`carapace client --url ${kbs.url} --cert-file ${join(dataDir, 'tls', 'server-cert.pem')} config`),
    )
    const logs = io
      .err()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; msg: string })
    assert.ok(logs.some((l) => l.msg === 'KBS listening'))
    assert.equal(logs.at(-1)?.msg, 'KBS stopped')
  })

  it('warns loudly in sample-TEE development mode and names --tls-san hosts in the certificate', async () => {
    const io = captureIo()
    let certificatePem = ''
    const code = await runKbsServe(
      ['--listen', '127.0.0.1:0', '--insecure-allow-sample-tee', '--tls-san', 'kbs.example.test'],
      io,
      {
        env: { CARAPACE_DATA_DIR: join(dir, 'dev'), npm_command: 'start' },
        stop: Promise.resolve(),
        onStarted: (kbs) => {
          certificatePem = kbs.certificatePem ?? ''
        },
      },
    )
    assert.equal(code, 0, io.err())
    assert.match(io.out(), /WARNING: --insecure-allow-sample-tee is on/)
    assert.match(io.out(), /set-sample-reference-value major_version 1 --as-integer --as-single-value/)
    // Started through npm (`npm start`): the repository's bin is not on PATH, so the steps say npx.
    assert.match(io.out(), /\n {2}npx carapace admin token --key /)
    assert.match(io.out(), /\n {2}npx carapace client --url /)
    assert.match(io.out(), new RegExp(`Data directory: +${join(dir, 'dev')}`))
    assert.match(io.err(), /"level":"warn","msg":"INSECURE DEVELOPMENT MODE/)
    assert.match(new X509Certificate(certificatePem).subjectAltName ?? '', /DNS:kbs\.example\.test/)
  })

  it('carapaceInvocation: npx carapace under npm, else carapace', () => {
    assert.equal(carapaceInvocation({ npm_command: 'exec' }), 'npx carapace')
    assert.equal(carapaceInvocation({ npm_command: 'start' }), 'npx carapace')
    assert.equal(carapaceInvocation({}), 'carapace')
  })

  it('names the key and the file of a bad config, and exits 1', async () => {
    const config = join(dir, 'bad.toml')
    writeFileSync(config, '[http_server]\nsockets = ["127.0.0.1:0"]\nno_such_key = 1\n')
    const io = captureIo()
    assert.equal(await runKbsServe(['--config', config], io, { env: {}, stop: Promise.resolve() }), 1)
    assert.match(io.err(), new RegExp(`${config}.*http_server\\.no_such_key`))
  })

  it('refuses an unserved backend by its key (config from KBS_CONFIG_FILE)', async () => {
    const config = join(dir, 'redis.toml')
    writeFileSync(config, '[http_server]\ninsecure_http = true\n[storage_backend]\nstorage_type = "Redis"\n')
    const io = captureIo()
    const code = await runKbsServe(['--listen', '127.0.0.1:0'], io, {
      env: { KBS_CONFIG_FILE: config },
      stop: Promise.resolve(),
    })
    assert.equal(code, 1)
    assert.match(io.err(), /storage_backend\.storage_type: storage type "Redis" is not served/)
    assert.equal(io.out(), '')
  })

  it('reports usage mistakes with status 2', async () => {
    const io = captureIo()
    assert.equal(await runKbsServe(['extra'], io, { env: {}, stop: Promise.resolve() }), 2)
    assert.match(io.err(), /unexpected argument "extra"/)
    assert.equal(await runKbsServe(['--listen'], captureIo(), { env: {}, stop: Promise.resolve() }), 2)
  })

  it('--collateral DIR: the hardware verifiers read that folder (logged at start); a missing folder is refused', async () => {
    const collateral = join(dir, 'collateral')
    mkdirSync(collateral)
    const io = captureIo()
    const args = ['--data-dir', join(dir, 'airgap'), '--listen', '127.0.0.1:0', '--collateral', collateral]
    assert.equal(await runKbsServe(args, io, { env: {}, stop: Promise.resolve() }), 0, io.err())
    const logs = io
      .err()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; sources?: string })
    const sources = logs.find((l) => l.msg === 'hardware verifiers take vendor collateral from')?.sources ?? ''
    assert.ok(sources.startsWith(`folder ${collateral}`), sources)
    assert.doesNotMatch(sources, /KDS|PCS/)

    const missing = captureIo()
    const absent = ['--data-dir', join(dir, 'airgap'), '--listen', '127.0.0.1:0', '--collateral', join(dir, 'nope')]
    assert.equal(await runKbsServe(absent, missing, { env: {}, stop: Promise.resolve() }), 1)
    assert.match(missing.err(), /carapace kbs serve: --collateral: .*nope is not a readable folder/)
  })
})
