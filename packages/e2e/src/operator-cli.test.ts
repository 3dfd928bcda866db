import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startCdhServer } from '@carapace/data-hub'
import { main } from '@carapace/cli'
import { createSampleAttester } from '@carapace/attester'
import { makeTempDataDir, type TempDataDir } from './support/temp-data-dir.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

interface CliRun {
  readonly code: number
  readonly out: string
  readonly err: string
}

async function carapace(...argv: string[]): Promise<CliRun> {
  let out = ''
  let err = ''
  const code = await main(argv, {
    stdout: (text) => {
      out += text
    },
    stderr: (text) => {
      err += text
    },
  })
  return { code, out, err }
}

const SECRET = 'operator secret via the CLI'

describe('the operator drives the KBS with the carapace CLI; the guest reads through the CDH', () => {
  let plane: TrustPlane
  let files: TempDataDir
  let certFile: string
  let tokenFile: string
  const savedDataDir = process.env['CARAPACE_DATA_DIR']

  const config = (...args: string[]): Promise<CliRun> =>
    carapace('client', '--url', plane.kbs.url, '--cert-file', certFile, 'config', ...args)

  before(async () => {
    plane = await startTrustPlane()
    files = await makeTempDataDir('carapace-e2e-cli-')
    // No default admin key for the CLI to fall back on: credentials are what each test gives.
    process.env['CARAPACE_DATA_DIR'] = files.path
    certFile = join(files.path, 'kbs-cert.pem')
    tokenFile = join(files.path, 'admin-token')
    await writeFile(certFile, plane.kbs.certificatePem ?? '')
    const keyPath = plane.kbs.adminPrivateKeyPath ?? ''
    const minted = await carapace('admin', 'token', '--key', keyPath, '--ttl', '15m', '--out', tokenFile)
    assert.equal(minted.code, 0, minted.err)
  })
  after(async () => {
    if (savedDataDir === undefined) delete process.env['CARAPACE_DATA_DIR']
    else process.env['CARAPACE_DATA_DIR'] = savedDataDir
    await plane.close()
    await files.remove()
  })

  it('stores reference values, a secret and the affirming policy; the guest receives the secret', async () => {
    const values: string[][] = [
      ['launch_digest', 'abcde'],
      ['svn', '1'],
      ['major_version', '1', '--as-integer', '--as-single-value'],
      ['minimum_minor_version', '4', '--as-integer', '--as-single-value'],
    ]
    for (const [name = '', value = '', ...flags] of values) {
      const set = await config('--admin-token-file', tokenFile, 'set-sample-reference-value', name, value, ...flags)
      assert.equal(set.code, 0, set.err)
    }
    const svn = await config('--admin-token-file', tokenFile, 'get-reference-value', '--id', 'svn')
    assert.equal(svn.code, 0, svn.err)
    assert.match(svn.out, /"1"/)
    const secretFile = join(files.path, 'secret.bin')
    await writeFile(secretFile, SECRET)
    const stored = await config(
      '--admin-token-file',
      tokenFile,
      'set-resource',
      '--path',
      'default/key/cli',
      '--resource-file',
      secretFile,
    )
    assert.equal(stored.code, 0, stored.err)
    const policy = await config('--admin-token-file', tokenFile, 'set-resource-policy', '--affirming')
    assert.equal(policy.code, 0, policy.err)

    const cdh = await startCdhServer({
      kbsUrl: plane.kbs.url,
      kbsCertPem: plane.kbs.certificatePem ?? '',
      listen: '127.0.0.1:0',
      attester: createSampleAttester(),
      logger: () => undefined,
    })
    try {
      const response = await fetch(`${cdh.url}/cdh/resource/default/key/cli`)
      assert.equal(response.status, 200)
      assert.equal(await response.text(), SECRET)
    } finally {
      await cdh.close()
    }
    const guest = await carapace(
      'client',
      '--url',
      plane.kbs.url,
      '--cert-file',
      certFile,
      'get-resource',
      '--path',
      'default/key/cli',
    )
    assert.equal(guest.code, 0, guest.err)
    assert.equal(Buffer.from(guest.out.trim(), 'base64').toString(), SECRET)
  })

  it('fails without an admin token, with a bad one and with an expired one, printing the KBS error', async () => {
    const secretFile = join(files.path, 'planted.bin')
    await writeFile(secretFile, 'planted')
    const badTokenFile = join(files.path, 'bad-token')
    await writeFile(badTokenFile, 'eyJhbGciOiJFZERTQSJ9.eyJyb2xlIjoiYWRtaW4ifQ.AAAA\n')
    const expiredFile = join(files.path, 'expired-token')
    await writeFile(expiredFile, `${await plane.adminToken({ ttlSeconds: 60, issuedAtMs: Date.now() - 3_600_000 })}\n`)
    for (const credentials of [[], ['--admin-token-file', badTokenFile], ['--admin-token-file', expiredFile]]) {
      const write = await config(
        ...credentials,
        'set-resource',
        '--path',
        'default/key/planted',
        '--resource-file',
        secretFile,
      )
      assert.equal(write.code, 1, write.out)
      assert.match(write.err, /AdminAuthInitialization/)
      const policy = await config(...credentials, 'set-resource-policy', '--allow-all')
      assert.equal(policy.code, 1, policy.out)
      assert.match(policy.err, /AdminAuthAccess/)
    }
    const readBack = await carapace(
      'client',
      '--url',
      plane.kbs.url,
      '--cert-file',
      certFile,
      'get-resource',
      '--path',
      'default/key/planted',
    )
    assert.equal(readBack.code, 1)
    assert.match(readBack.err, /PluginInternalError|PolicyDeny/)
  })
})
