import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { createAdminAuthorizer, defaultKbsConfig } from '@carapace/kbs'
import { captureIo } from '../captured-io.ts'
import { main } from '../main.ts'
import { createAdminTokenCommand } from './admin-token.ts'

const dataDir = mkdtempSync(join(tmpdir(), 'carapace-admin-token-'))
after(() => {
  rmSync(dataDir, { recursive: true, force: true })
})
const config = defaultKbsConfig({ dataDir })
const ed25519 = generateKeyPairSync('ed25519')
mkdirSync(join(dataDir, 'admin'))
writeFileSync(join(dataDir, 'admin', 'admin-key.pem'), ed25519.privateKey.export({ type: 'pkcs8', format: 'pem' }))
writeFileSync(join(dataDir, 'admin', 'admin-key.pub.pem'), ed25519.publicKey.export({ type: 'spki', format: 'pem' }))

const NOW = Date.UTC(2026, 0, 1)
const command = createAdminTokenCommand({ env: { CARAPACE_DATA_DIR: dataDir }, now: () => NOW })

async function run(args: string[]) {
  const io = captureIo()
  const status = await command.run(args, io)
  return { status, out: io.out(), err: io.err() }
}

function claims(token: string): Record<string, unknown> {
  const [header, payload] = token.split('.')
  assert.deepEqual(JSON.parse(Buffer.from(header ?? '', 'base64url').toString()), { alg: 'EdDSA', typ: 'JWT' })
  return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>
}

describe('carapace admin token', () => {
  it('mints from the default data dir key a token the default KBS admin config accepts', async () => {
    const { status, out } = await run([])
    assert.equal(status, 0)
    const token = out.trim()
    assert.deepEqual(claims(token), { role: 'admin', aud: ['kbs'], iat: NOW / 1000, exp: NOW / 1000 + 3600 })
    const authorizer = await createAdminAuthorizer(config.admin, { now: () => new Date(NOW + 60_000) })
    await authorizer.authorize({ pathAndQuery: '/kbs/v0/resource-policy', authorization: `Bearer ${token}` })
    const later = await createAdminAuthorizer(config.admin, { now: () => new Date(NOW + 3601_000) })
    await assert.rejects(
      later.authorize({ pathAndQuery: '/kbs/v0/resource-policy', authorization: `Bearer ${token}` }),
      {
        code: 'ADMIN_AUTH_ACCESS',
      },
    )
  })

  it('sets role, ttl, issuer and audiences; a role without an ACL is refused by the KBS', async () => {
    const { status, out } = await run([
      '--role',
      'reader',
      '--ttl',
      '15m',
      '--issuer',
      'ops',
      '--audience',
      'a',
      '--audience',
      'b',
    ])
    assert.equal(status, 0)
    assert.deepEqual(claims(out.trim()), {
      iss: 'ops',
      role: 'reader',
      aud: ['a', 'b'],
      iat: NOW / 1000,
      exp: NOW / 1000 + 900,
    })
    const authorizer = await createAdminAuthorizer(config.admin, { now: () => new Date(NOW) })
    await assert.rejects(
      authorizer.authorize({ pathAndQuery: '/kbs/v0/resource-policy', authorization: `Bearer ${out.trim()}` }),
      /role reader may not access/,
    )
  })

  it('signs ES256 with an EC P-256 key given by --key', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const keyFile = join(dataDir, 'ec.pem')
    writeFileSync(keyFile, ec.privateKey.export({ type: 'pkcs8', format: 'pem' }))
    const { status, out } = await run(['--key', keyFile])
    assert.equal(status, 0)
    const header = JSON.parse(Buffer.from(out.split('.')[0] ?? '', 'base64url').toString()) as unknown
    assert.deepEqual(header, { alg: 'ES256', typ: 'JWT' })
    const authorizer = await createAdminAuthorizer(
      { ...config.admin, identityProviders: [{ publicKeyUri: 'ec.pub' }] },
      {
        now: () => new Date(NOW),
        readPublicKey: () => Promise.resolve(ec.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
      },
    )
    await authorizer.authorize({ pathAndQuery: '/kbs/v0/resource/a/b/c', authorization: `Bearer ${out.trim()}` })
  })

  it('--out writes the token with mode 0600 and prints where to stderr', async () => {
    const file = join(dataDir, 'admin-token')
    const { status, out, err } = await run(['--out', file, '--ttl', '2h'])
    assert.equal(status, 0)
    assert.equal(out, '')
    assert.match(err, /role admin, expires 2026-01-01T02:00:00.000Z/)
    assert.equal(statSync(file).mode & 0o777, 0o600)
    assert.equal(claims(readFileSync(file, 'utf8').trim())['exp'], NOW / 1000 + 7200)
  })

  it('bad flags are usage errors (2); a missing or unusable key is a failure (1)', async () => {
    for (const args of [['--ttl', '0'], ['--ttl', '1y'], ['--ttl', '400d'], ['extra'], ['--nope'], ['--role', ' ']]) {
      const r = await run(args)
      assert.equal(r.status, 2, args.join(' '))
      assert.match(r.err, /Usage: carapace admin token/)
    }
    const missing = await run(['--key', join(dataDir, 'absent.pem')])
    assert.equal(missing.status, 1)
    assert.match(missing.err, /cannot read --key .*absent\.pem: no such file/)
    const notKey = join(dataDir, 'not-a-key.pem')
    writeFileSync(notKey, 'hello')
    const bad = await run(['--key', notKey])
    assert.equal(bad.status, 1)
    assert.match(bad.err, /--key .*not-a-key\.pem: admin private key is not a PEM private key/)
    const noDefault = await createAdminTokenCommand({
      env: { CARAPACE_DATA_DIR: join(dataDir, 'none') },
      now: () => NOW,
    }).run([], captureIo())
    assert.equal(noDefault, 1)
  })

  it('--help prints the usage', async () => {
    const io = captureIo()
    assert.equal(await main(['admin', 'token', '--help'], io, [command]), 0)
    assert.match(io.out(), /--key FILE/)
    assert.match(io.out(), /\[\[admin\.authorization\.regex_acl\.acls\]\]/)
    assert.doesNotMatch(io.out(), /admin\.roles/)
  })
})
