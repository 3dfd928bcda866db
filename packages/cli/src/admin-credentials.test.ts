import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { parseTtl, resolveAdminCredentials } from './admin-credentials.ts'

const dir = mkdtempSync(join(tmpdir(), 'carapace-admin-credentials-'))
after(() => {
  rmSync(dir, { recursive: true, force: true })
})
const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
const environment = { env: { CARAPACE_DATA_DIR: dir }, now: () => 1_000_000 }

test('parseTtl: seconds by default, s/m/h/d units, 1 s to 366 d', () => {
  assert.equal(parseTtl('90'), 90)
  assert.equal(parseTtl('15m'), 900)
  assert.equal(parseTtl('7d'), 604800)
  for (const bad of ['', '0', '1.5h', '-1', '1w', '367d', 'h']) assert.throws(() => parseTtl(bad), /--ttl must be/)
})

test('admin credentials: explicit flags first, then the data dir key, else anonymous', () => {
  const anonymous = resolveAdminCredentials({}, environment)
  assert.equal(anonymous.token, undefined)
  assert.match(anonymous.description, /^none \(no .*admin-key\.pem\)/)
  mkdirSync(join(dir, 'admin'))
  writeFileSync(join(dir, 'admin', 'admin-key.pem'), pem)
  const fromDefault = resolveAdminCredentials({}, environment)
  const payload = JSON.parse(Buffer.from(fromDefault.token?.split('.')[1] ?? '', 'base64url').toString()) as unknown
  assert.deepEqual(payload, { role: 'admin', aud: ['kbs'], iat: 1000, exp: 1300 })
  assert.match(fromDefault.description, /default admin key/)
  assert.equal(resolveAdminCredentials({ 'admin-token': ' a.b.c ' }, environment).token, 'a.b.c')
  const tokenFile = join(dir, 'token')
  writeFileSync(tokenFile, 'x.y.z\n')
  assert.equal(resolveAdminCredentials({ 'admin-token-file': tokenFile }, environment).token, 'x.y.z')
  writeFileSync(tokenFile, 'not a token')
  assert.throws(() => resolveAdminCredentials({ 'admin-token-file': tokenFile }, environment), /does not hold a JWT/)
  const upstreamName = resolveAdminCredentials({ 'auth-private-key': join(dir, 'admin', 'admin-key.pem') }, environment)
  assert.match(upstreamName.description, /--auth-private-key/)
  assert.throws(() => resolveAdminCredentials({ 'admin-token': 'a.b.c', 'admin-token-file': tokenFile }, environment), {
    name: 'UsageError',
  })
})
