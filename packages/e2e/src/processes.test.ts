import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createNodeFetch } from '@carapace/kbs-client'
import {
  runCarapace as run,
  startCarapace as start,
  stopCarapace as stop,
  type Daemon,
} from './support/carapace-process.ts'
import { makeTempDataDir, type TempDataDir } from './support/temp-data-dir.ts'

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
