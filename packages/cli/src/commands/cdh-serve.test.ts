import assert from 'node:assert/strict'
import { createHash, createPublicKey } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { startSwtpm } from '@carapace/attester/swtpm'
import { captureIo } from '../captured-io.ts'
import { cdhServe, makeCdhServe } from './cdh-serve.ts'

const dir = mkdtempSync(join(tmpdir(), 'carapace-cdh-serve-'))
after(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** A port that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) =>
    server.close(() => {
      resolve()
    }),
  )
  return typeof address === 'object' && address !== null ? address.port : 0
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10))
  assert.ok(check(), 'condition not reached')
}

test('prints where it listens, serves until stopped, and KBS failures come back as 500 with the reason', async () => {
  const port = await closedPort()
  const initData = join(dir, 'initdata.toml')
  writeFileSync(initData, 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n')
  let stop: (signal: string) => void = () => undefined
  const command = makeCdhServe(() => new Promise((resolve) => (stop = resolve)))
  const io = captureIo()
  const running = command.run(
    ['--kbs-url', `http://127.0.0.1:${String(port)}`, '--listen', '127.0.0.1:0', '--init-data', initData],
    io,
  )
  try {
    await waitFor(() => io.out().includes('listening'))
  } catch (e) {
    stop('SIGINT')
    throw e
  }
  const url = /CDH API listening on (http:\/\/127\.0\.0\.1:[0-9]+) \(KBS http:\/\/127\.0\.0\.1:[0-9]+\)/.exec(
    io.out(),
  )?.[1]
  try {
    assert.ok(url !== undefined, io.out())
    await checkServing(url, io.err)
  } finally {
    stop('SIGTERM')
  }
  assert.equal(await running, 0)
  assert.match(io.out(), /SIGTERM: stopping\n$/)
  await assert.rejects(fetch(`${url}/info`))
})

async function checkServing(url: string, err: () => string): Promise<void> {
  const evidence = await fetch(`${url}/aa/evidence?runtime_data=abc`)
  assert.equal(await evidence.text(), '{"svn":"1","report_data":"YWJj"}')
  const resource = await fetch(`${url}/cdh/resource/default/key/1`)
  assert.equal(resource.status, 500)
  assert.match(await resource.text(), /^get resource kbs:\/\/\/default\/key\/1 failed: .*ECONNREFUSED/)
  assert.match(err(), /"level":"warn".*sample attester/)
  assert.match(err(), /"level":"error","component":"cdh","msg":"request failed".*"code":"KBS_FAILED"/)
}

test('usage mistakes exit 2 with the usage', async () => {
  for (const args of [
    [],
    ['--kbs-url', 'http://k', '--attester', 'tdx'],
    ['--kbs-url', 'http://k', 'extra'],
    ['--nope'],
  ]) {
    const io = captureIo()
    assert.equal(await cdhServe.run(args, io), 2, args.join(' '))
    assert.match(io.err(), /Usage: carapace cdh serve --kbs-url URL/)
  }
})

test('bad files, non-loopback listen and bad URLs exit 1 with a clear message', async () => {
  const notPem = join(dir, 'not.pem')
  writeFileSync(notPem, 'hello')
  const cases: [string[], RegExp][] = [
    [['--cert-file', join(dir, 'missing.pem')], /cannot read certificate file .*missing\.pem: ENOENT/],
    [['--cert-file', notPem], /not\.pem holds no PEM certificate/],
    [['--init-data', join(dir, 'missing.toml')], /cannot read init-data file .*missing\.toml: ENOENT/],
    [['--listen', '0.0.0.0:0'], /refusing to listen on 0\.0\.0\.0/],
    [['--listen', 'nowhere'], /listen address "nowhere" is not HOST:PORT/],
  ]
  for (const [extra, message] of cases) {
    const io = captureIo()
    assert.equal(await cdhServe.run(['--kbs-url', 'http://127.0.0.1:1', ...extra], io), 1, extra.join(' '))
    assert.match(io.err(), message)
  }
  const io = captureIo()
  assert.equal(await cdhServe.run(['--kbs-url', 'kbs:8080', '--listen', '127.0.0.1:0'], io), 1)
  assert.match(io.err(), /KBS URL "kbs:8080" must be http\(s\)/)
})

test('--attester tpm serves TPM evidence from a software TPM, with the sha256 init data extended into PCR8', async () => {
  const swtpm = await startSwtpm()
  const initDataText = 'version = "0.1.0"\nalgorithm = "sha256"\n[data]\n'
  const initData = join(dir, 'tpm-initdata.toml')
  writeFileSync(initData, initDataText)
  let stop: (signal: string) => void = () => undefined
  const io = captureIo()
  const running = makeCdhServe(() => new Promise((resolve) => (stop = resolve))).run(
    [
      ...['--kbs-url', 'http://127.0.0.1:1', '--listen', '127.0.0.1:0'],
      ...['--attester', 'tpm', '--tpm-tcti', swtpm.tcti, '--init-data', initData],
    ],
    io,
  )
  try {
    await waitFor(() => io.out().includes('listening'))
    const url = /CDH API listening on (http:\/\/127\.0\.0\.1:[0-9]+)/.exec(io.out())?.[1]
    assert.ok(url !== undefined, io.out())
    const response = await fetch(`${url}/aa/evidence?runtime_data=abc`)
    assert.equal(response.status, 200)
    const evidence = JSON.parse(await response.text()) as { ak_public: string; tpm_quote: { pcrs: string[] } }
    assert.match(evidence.ak_public, /^MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA/)
    const digest = createHash('sha256').update(initDataText).digest()
    const pcr8 = createHash('sha256').update(Buffer.alloc(32)).update(digest).digest('hex')
    assert.equal(evidence.tpm_quote.pcrs[8], pcr8)
    assert.doesNotMatch(io.err(), /sample attester/)
  } finally {
    stop('SIGTERM')
    await running
    await swtpm.stop()
  }
})

test('--tpm-ak-alg ecc makes the software TPM sign its quotes with a P-256 ECDSA attestation key', async () => {
  const swtpm = await startSwtpm()
  let stop: (signal: string) => void = () => undefined
  const io = captureIo()
  const running = makeCdhServe(() => new Promise((resolve) => (stop = resolve))).run(
    [
      ...['--kbs-url', 'http://127.0.0.1:1', '--listen', '127.0.0.1:0'],
      ...['--attester', 'tpm', '--tpm-tcti', swtpm.tcti, '--tpm-ak-alg', 'ecc'],
    ],
    io,
  )
  try {
    await waitFor(() => io.out().includes('listening'))
    const url = /CDH API listening on (http:\/\/127\.0\.0\.1:[0-9]+)/.exec(io.out())?.[1]
    assert.ok(url !== undefined, io.out())
    const response = await fetch(`${url}/aa/evidence?runtime_data=abc`)
    assert.equal(response.status, 200)
    const evidence = JSON.parse(await response.text()) as { ak_public: string; tpm_quote: { signature: string } }
    const ak = createPublicKey({ key: Buffer.from(evidence.ak_public, 'base64'), format: 'der', type: 'spki' })
    assert.equal(ak.asymmetricKeyDetails?.namedCurve, 'prime256v1')
    // TPMT_SIGNATURE: ECDSA (0x0018) over SHA-256 (0x000b).
    assert.equal(Buffer.from(evidence.tpm_quote.signature, 'base64').subarray(0, 4).toString('hex'), '0018000b')
  } finally {
    stop('SIGTERM')
    await running
    await swtpm.stop()
  }
})

test('--attester tpm refuses init data it cannot put into PCR8; --tpm-tcti and --tpm-ak-alg need --attester tpm', async () => {
  const initData = join(dir, 'sha384-initdata.toml')
  writeFileSync(initData, 'version = "0.1.0"\nalgorithm = "sha384"\n[data]\n')
  const io = captureIo()
  assert.equal(await cdhServe.run(['--kbs-url', 'http://k', '--attester', 'tpm', '--init-data', initData], io), 1)
  assert.match(io.err(), /needs algorithm = "sha256", not "sha384"/)
  const usage = captureIo()
  assert.equal(await cdhServe.run(['--kbs-url', 'http://k', '--tpm-tcti', 'device:/dev/tpmrm0'], usage), 2)
  assert.match(usage.err(), /--tpm-tcti goes with --attester tpm/)
  const noTpm = captureIo()
  assert.equal(await cdhServe.run(['--kbs-url', 'http://k', '--tpm-ak-alg', 'ecc'], noTpm), 2)
  assert.match(noTpm.err(), /--tpm-ak-alg goes with --attester tpm/)
  const badAlg = captureIo()
  assert.equal(await cdhServe.run(['--kbs-url', 'http://k', '--attester', 'tpm', '--tpm-ak-alg', 'dsa'], badAlg), 2)
  assert.match(badAlg.err(), /--tpm-ak-alg must be one of rsa, ecc, got "dsa"/)
})
