import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, before, describe, it } from 'node:test'
import { createNodeFetch } from '@carapace/kbs-client'
import { makeTempDataDir, type TempDataDir } from './support/temp-data-dir.ts'

// The installed `carapace` command, as a user runs it: every step below is a separate process.
const CARAPACE = fileURLToPath(new URL('../../cli/bin/carapace.js', import.meta.url))

interface Finished {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

function run(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CARAPACE, ...args], { env: { ...process.env, ...env } })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => {
      resolve({ code, out, err })
    })
  })
}

interface Daemon {
  readonly child: ChildProcess
  /** The first stdout match of `pattern`'s group 1. */
  readonly found: string
  readonly output: () => { out: string; err: string }
}

/** Starts a long-running command and waits until its stdout shows `pattern`. */
function start(args: readonly string[], pattern: RegExp): Promise<Daemon> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CARAPACE, ...args])
    let out = ''
    let err = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`carapace ${args.join(' ')} did not start:\n${out}\n${err}`))
    }, 20_000)
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      const match = pattern.exec(out)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve({ child, found: match[1], output: () => ({ out, err }) })
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`carapace ${args.join(' ')} exited with ${String(code)}:\n${out}\n${err}`))
    })
  })
}

function stop(daemon: Daemon): Promise<number | null> {
  return new Promise((resolve) => {
    daemon.child.removeAllListeners('exit')
    if (daemon.child.exitCode !== null) {
      resolve(daemon.child.exitCode)
      return
    }
    daemon.child.once('exit', (code) => {
      resolve(code)
    })
    daemon.child.kill('SIGTERM')
  })
}

describe('the carapace command as separate processes: kbs serve, admin token, client config, cdh serve', () => {
  let dir: TempDataDir
  let kbs: Daemon
  let cdh: Daemon | undefined
  let certFile: string
  const secret = 'a secret that crossed three processes'

  before(async () => {
    dir = await makeTempDataDir('carapace-e2e-processes-')
    const dataDir = join(dir.path, 'kbs')
    kbs = await start(
      ['kbs', 'serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--insecure-allow-sample-tee'],
      /URL:\s+(https:\/\/\S+)/,
    )
    certFile = join(dataDir, 'tls', 'server-cert.pem')
  })
  after(async () => {
    if (cdh !== undefined) await stop(cdh)
    await stop(kbs)
    await dir.remove()
  })

  it('prints the certificate fingerprint and the admin key, and logs the development mode loudly', () => {
    const { out, err } = kbs.output()
    assert.match(out, /SHA-256 fingerprint:\s+([0-9A-F]{2}:){31}[0-9A-F]{2}/)
    assert.match(out, /Admin private key:\s+\S+admin-key\.pem/)
    assert.match(err, /insecure/i)
  })

  it('an operator stores a secret with the CLI and a sample guest reads it through the CDH API', async () => {
    const tokenFile = join(dir.path, 'admin.jwt')
    const keyFile = join(dir.path, 'kbs', 'admin', 'admin-key.pem')
    const minted = await run(['admin', 'token', '--key', keyFile, '--out', tokenFile])
    assert.equal(minted.code, 0, minted.err)
    const secretFile = join(dir.path, 'secret.txt')
    await writeFile(secretFile, secret)
    const config = async (...args: string[]): Promise<void> => {
      const result = await run([
        'client',
        '--url',
        kbs.found,
        '--cert-file',
        certFile,
        'config',
        '--admin-token-file',
        tokenFile,
        ...args,
      ])
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.err}`)
    }
    await config('set-resource', '--path', 'default/key/one', '--resource-file', secretFile)
    await config('set-resource-policy', '--affirming')
    await config('set-sample-reference-value', 'launch_digest', 'abcde')
    await config('set-sample-reference-value', 'svn', '1')
    await config('set-sample-reference-value', 'major_version', '1', '--as-integer', '--as-single-value')
    await config('set-sample-reference-value', 'minimum_minor_version', '0', '--as-integer', '--as-single-value')

    cdh = await start(
      ['cdh', 'serve', '--kbs-url', kbs.found, '--cert-file', certFile, '--listen', '127.0.0.1:0'],
      /listening on (http:\/\/\S+)/,
    )
    const response = await createNodeFetch()(`${cdh.found}/cdh/resource/default/key/one`)
    assert.equal(response.status, 200)
    assert.equal(await response.text(), secret)

    const missing = await createNodeFetch()(`${cdh.found}/cdh/resource/default/key/absent`)
    assert.equal(missing.status, 500)
    assert.match(kbs.output().err, /"status":401/)
  })

  it('both servers stop cleanly on SIGTERM', async () => {
    assert.ok(cdh !== undefined)
    assert.equal(await stop(cdh), 0)
    cdh = undefined
    assert.equal(await stop(kbs), 0)
  })
})
