import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { startKbsServer, type RunningKbs } from '@carapace/kbs'
import { captureIo } from '../captured-io.ts'
import type { Command } from '../command.ts'
import { createAdminTokenCommand } from './admin-token.ts'
import { createClientCommand } from './client.ts'

// The operator and guest quickstart with nothing but CLI commands against `carapace kbs serve`'s
// server (default config, generated certificate and admin key) on loopback HTTPS.
const dataDir = mkdtempSync(join(tmpdir(), 'carapace-cli-real-kbs-'))
const work = mkdtempSync(join(tmpdir(), 'carapace-cli-work-'))
const environment = { env: { CARAPACE_DATA_DIR: dataDir }, now: Date.now }
const client = createClientCommand(environment)
const adminToken = createAdminTokenCommand(environment)
let kbs: RunningKbs
let connect: string[]

function file(name: string, content: string | Uint8Array): string {
  const path = join(work, name)
  writeFileSync(path, content)
  return path
}

async function run(args: string[], command: Command = client) {
  const io = captureIo()
  const status = await command.run(args, io)
  return { status, out: io.out(), err: io.err() }
}

async function ok(args: string[], command: Command = client): Promise<string> {
  const r = await run(args, command)
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.err}`)
  return r.out
}

before(async () => {
  kbs = await startKbsServer({
    dataDir,
    listen: '127.0.0.1:0',
    insecureAllowSampleTee: true,
    logger: { log: () => undefined },
  })
  connect = ['--url', kbs.url, '--cert-file', kbs.certificatePath ?? '']
})
after(async () => {
  await kbs.close()
  rmSync(dataDir, { recursive: true, force: true })
  rmSync(work, { recursive: true, force: true })
})

describe('carapace client against carapace kbs serve', () => {
  it('operator: admin token file, sample reference values and a secret; guest: attest and get-resource', async () => {
    assert.equal(kbs.adminPrivateKeyPath, join(dataDir, 'admin', 'admin-key.pem'))
    const tokenFile = join(work, 'admin-token')
    await ok(['--out', tokenFile], adminToken)
    const admin = [...connect, 'config', '--admin-token-file', tokenFile]
    await ok([...admin, 'set-sample-reference-value', 'launch_digest', 'abcde'])
    await ok([...admin, 'set-sample-reference-value', 'svn', '1'])
    await ok([...admin, 'set-sample-reference-value', 'major_version', '1', '--as-integer', '--as-single-value'])
    await ok([
      ...admin,
      'set-sample-reference-value',
      'minimum_minor_version',
      '0',
      '--as-integer',
      '--as-single-value',
    ])
    assert.deepEqual(JSON.parse(await ok([...admin, 'get-reference-value', '--id', 'svn'])), ['1'])
    assert.deepEqual(JSON.parse(await ok([...admin, 'get-reference-values'])), {
      launch_digest: ['abcde'],
      major_version: 1,
      minimum_minor_version: 0,
      svn: ['1'],
    })
    const secret = Uint8Array.from([0, 1, 2, 250, 255])
    await ok([...admin, 'set-resource', '--path', 'default/key/one', '--resource-file', file('secret', secret)])

    const token = (await ok([...connect, 'attest'])).trim()
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      submods: Record<string, Record<string, unknown>>
    }
    assert.equal(claims.submods['cpu0']?.['ear.status'], 'affirming')
    assert.equal(
      await ok([...connect, 'get-resource', '--path', 'default/key/one']),
      `${Buffer.from(secret).toString('base64')}\n`,
    )
  })

  it('resource policies: deny-all refuses with the upstream body, affirming (the default) releases again', async () => {
    await ok([...connect, 'config', 'set-resource-policy', '--deny-all'])
    const denied = await run([...connect, 'get-resource', '--path', 'default/key/one'])
    assert.equal(denied.status, 1)
    assert.match(denied.err, /errors\/PolicyDeny/)
    await ok([...connect, 'config', 'set-resource-policy', '--affirming'])
    await ok([...connect, 'get-resource', '--path', 'default/key/one'])
    assert.equal(await ok([...connect, 'config', 'get-resource-policy']), '["resource-policy"]\n')
  })

  it('an attestation policy that does not compile is refused with the KBS error, exit 1', async () => {
    const broken = await run([
      ...connect,
      'config',
      'set-attestation-policy',
      '--policy-file',
      file('bad.rego', 'package policy\nallow if {'),
    ])
    assert.equal(broken.status, 1)
    assert.match(broken.err, /KBS answered 4\d\d/)
    assert.match(broken.err, /errors\/[A-Za-z]+/)
  })

  it('delete-resource, then the guest is refused; a foreign admin key is refused with AdminAuth', async () => {
    await ok([...connect, 'config', 'delete-resource', '--path', 'default/key/one'])
    assert.equal((await run([...connect, 'get-resource', '--path', 'default/key/one'])).status, 1)
    const foreign = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })
    const refused = await run([
      ...connect,
      'config',
      '--admin-key',
      file('foreign.pem', foreign),
      'set-resource-policy',
      '--allow-all',
    ])
    assert.equal(refused.status, 1)
    assert.match(refused.err, /KBS answered 401/)
    assert.match(refused.err, /errors\/AdminAuthAccess/)
    assert.match(refused.err, /admin credentials used: a token minted from --admin-key/)
  })

  it('without --cert-file the generated certificate is not trusted, and the message says so', async () => {
    const r = await run(['--url', kbs.url, 'attest'])
    assert.equal(r.status, 1)
    assert.match(r.err, /certificate not trusted .*pass --cert-file/)
  })
})
