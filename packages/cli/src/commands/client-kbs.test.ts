import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { DEFAULT_RESOURCE_POLICY } from '@carapace/kbs'
import { captureIo } from '../captured-io.ts'
import { FIXTURE_CERT_PATH, startInProcessKbs, type InProcessKbs } from '../in-process-kbs-test-support.ts'
import { createAdminTokenCommand } from './admin-token.ts'
import { createClientCommand } from './client.ts'

const work = mkdtempSync(join(tmpdir(), 'carapace-client-'))
const file = (name: string, content: string): string => {
  const path = join(work, name)
  writeFileSync(path, content)
  return path
}
const INIT_DATA = 'version = "0.1.0"\nalgorithm = "sha384"\n\n[data]\n"policy.rego" = "package x"\n'

let kbs: InProcessKbs
let connect: string[]
before(async () => {
  kbs = await startInProcessKbs({ https: true })
  connect = ['--url', kbs.url, '--cert-file', FIXTURE_CERT_PATH]
})
after(async () => {
  await kbs.close()
  rmSync(work, { recursive: true, force: true })
})

/** The commands as an operator in another directory sees them: no default admin key. */
const client = createClientCommand({
  env: { CARAPACE_DATA_DIR: join(tmpdir(), 'carapace-no-such-dir') },
  now: Date.now,
})

async function run(args: string[], command = client) {
  const io = captureIo()
  const status = await command.run(args, io)
  return { status, out: io.out(), err: io.err() }
}

describe('carapace client against a KBS over HTTPS', () => {
  it('operator stores a secret with --admin-key; the guest fetches it (base64 on stdout, raw to --out)', async () => {
    const secret = file('secret.bin', 'top secret\n')
    const set = await run([
      ...connect,
      'config',
      '--admin-key',
      kbs.adminKeyPath,
      'set-resource',
      '--path',
      'default/key/one',
      '--resource-file',
      secret,
    ])
    assert.equal(set.status, 0, set.err)
    assert.equal(set.out, 'Set resource success: default/key/one (11 bytes)\n')
    const get = await run([...connect, 'get-resource', '--path', 'default/key/one'])
    assert.equal(get.status, 0, get.err)
    assert.equal(get.out, `${Buffer.from('top secret\n').toString('base64')}\n`)
    assert.match(get.err, /sample attester/)
    const out = join(work, 'fetched')
    const raw = await run(['get-resource', '--path', 'default/key/one', '--out', out, ...connect])
    assert.equal(raw.status, 0, raw.err)
    assert.equal(readFileSync(out, 'utf8'), 'top secret\n')
    assert.equal(statSync(out).mode & 0o777, 0o600)
  })

  it('attest prints the token and sends --init-data (file or inline)', async () => {
    const before = kbs.appraised.length
    const r = await run([...connect, 'attest', '--init-data', file('init.toml', INIT_DATA)])
    assert.equal(r.status, 0, r.err)
    assert.match(r.out, /^[\w-]+\.[\w-]+\.[\w-]+\n$/)
    assert.equal(kbs.appraised.length, before + 1)
    assert.deepEqual(kbs.appraised.at(-1)?.initData, { format: 'toml', body: INIT_DATA })
    assert.equal((await run([...connect, 'attest', INIT_DATA])).status, 0)
    assert.deepEqual(kbs.appraised.at(-1)?.initData, { format: 'toml', body: INIT_DATA })
  })

  it('passport mode: a token from attest --tee-key-file --out, then get-resource --attestation-token', async () => {
    const teeKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    })
    const keyFile = file('tee-key.pem', teeKey.toString())
    const tokenFile = join(work, 'attestation-token')
    const attested = await run([...connect, 'attest', '--tee-key-file', keyFile, '--out', tokenFile])
    assert.equal(attested.status, 0, attested.err)
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600)
    const count = kbs.appraised.length
    const args = [...connect, 'get-resource', '--path', 'default/key/one', '--attestation-token', tokenFile]
    const got = await run([...args, '--tee-key-file', keyFile])
    assert.equal(got.status, 0, got.err)
    assert.equal(got.out, `${Buffer.from('top secret\n').toString('base64')}\n`)
    assert.equal(kbs.appraised.length, count, 'no new attestation')
    const otherKey = file(
      'other-tee-key.pem',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    )
    const wrongKey = await run([...args, '--tee-key-file', otherKey])
    assert.equal(wrongKey.status, 1)
    assert.match(
      wrongKey.err,
      /carapace client get-resource: .*unwrap failed.*\n {2}is --tee-key-file the key the --attestation-token binds\?/,
    )
    const badKey = await run([...args, '--tee-key-file', file('bad-key.pem', 'nope')])
    assert.equal(badKey.status, 1)
    assert.match(badKey.err, /--tee-key-file .*bad-key\.pem: /)
  })

  it('default admin credentials: the data dir key (CARAPACE_DATA_DIR), then a token file from admin token --out', async () => {
    const operator = createClientCommand({ env: { CARAPACE_DATA_DIR: kbs.dataDir }, now: Date.now })
    const r = await run([...connect, 'config', 'set-resource-policy', '--affirming'], operator)
    assert.equal(r.status, 0, r.err)
    assert.equal(
      r.out,
      `Set resource policy success\n policy: ${Buffer.from(DEFAULT_RESOURCE_POLICY).toString('base64')}\n`,
    )
    const tokenFile = join(work, 'admin-token')
    const minted = await run(
      ['--out', tokenFile],
      createAdminTokenCommand({ env: { CARAPACE_DATA_DIR: kbs.dataDir }, now: Date.now }),
    )
    assert.equal(minted.status, 0, minted.err)
    const listed = await run([...connect, 'config', '--admin-token-file', tokenFile, 'get-resource-policy'])
    assert.equal(listed.status, 0, listed.err)
    assert.equal(listed.out, '["resource-policy"]\n')
    const token = readFileSync(tokenFile, 'utf8').trim()
    assert.equal((await run([...connect, 'config', '--admin-token', token, 'get-resource-policy'])).status, 0)
  })

  it('a denied resource prints the KBS error body and exits 1; --allow-all then releases it', async () => {
    const admin = [...connect, 'config', '--auth-private-key', kbs.adminKeyPath]
    assert.equal((await run([...admin, 'set-resource-policy', '--deny-all'])).status, 0)
    const denied = await run([...connect, 'get-resource', '--path', 'default/key/one'])
    assert.equal(denied.status, 1)
    assert.equal(denied.out, '')
    assert.match(
      denied.err,
      /carapace client get-resource: GET \/kbs\/v0\/resource\/default\/key\/one: still unauthorized after 3 attempts \(KBS answered 401\)/,
    )
    assert.match(denied.err, /"type":"https:\/\/github.com\/confidential-containers\/kbs\/errors\/PolicyDeny"/)
    assert.equal((await run([...admin, 'set-resource-policy', '--allow-all'])).status, 0)
    assert.equal((await run([...connect, 'get-resource', '--path', 'default/key/one'])).status, 0)
    const policy = file('policy.rego', 'package policy\n\ndefault allow := false\n')
    assert.equal((await run([...admin, 'set-resource-policy', '--policy-file', policy])).status, 0)
    assert.equal((await run([...connect, 'get-resource', '--path', 'default/key/one'])).status, 1)
    const broken = await run([
      ...admin,
      'set-resource-policy',
      '--policy-file',
      file('broken.rego', 'package policy\nallow if {'),
    ])
    assert.equal(broken.status, 1)
    assert.match(broken.err, /KBS answered 40\d/)
    assert.equal((await run([...admin, 'set-resource-policy', '--allow-all'])).status, 0)
  })

  it('delete-resource removes it: the guest then gets the not-found error', async () => {
    const admin = [...connect, 'config', '--admin-key', kbs.adminKeyPath]
    assert.equal(
      (await run([...admin, 'set-resource', '--path', 'r/t/gone', '--resource-file', file('g', 'x')])).status,
      0,
    )
    const del = await run([...admin, 'delete-resource', '--path', 'r/t/gone'])
    assert.equal(del.status, 0, del.err)
    assert.equal(del.out, 'Delete resource success: r/t/gone\n')
    const missing = await run([...connect, 'get-resource', '--path', 'r/t/gone'])
    assert.equal(missing.status, 1)
    assert.match(missing.err, /KBS answered/)
  })

  it('attestation policy and sample reference values reach the AS and RVPS', async () => {
    const admin = [...connect, 'config', '--admin-key', kbs.adminKeyPath]
    const policy = file('as.rego', 'package policy\n')
    const set = await run([...admin, 'set-attestation-policy', '--policy-file', policy, '--id', 'default_gpu'])
    assert.equal(set.status, 0, set.err)
    assert.match(set.out, /^Set attestation policy success: default_gpu\n/)
    assert.equal(kbs.policies.get('default_gpu'), 'package policy\n')
    const rv = await run([...admin, 'set-sample-reference-value', 'svn', '3', '--as-integer'])
    assert.equal(rv.status, 0, rv.err)
    assert.equal(rv.out, 'Reference Values Updated\n')
    const got = await run([...admin, 'get-reference-value', '--id', 'svn'])
    assert.equal(got.status, 0, got.err)
    assert.deepEqual(JSON.parse(got.out), [3])
    const all = await run([...admin, 'get-reference-values'])
    assert.equal(all.status, 0, all.err)
    assert.deepEqual(JSON.parse(all.out), { svn: [3] })
  })

  it('admin calls without credentials, or with a wrong key, show the 401 body and what was used', async () => {
    const anonymous = await run([...connect, 'config', 'delete-resource', '--path', 'a/b/c'])
    assert.equal(anonymous.status, 1)
    assert.match(anonymous.err, /KBS answered 401/)
    assert.match(anonymous.err, /errors\/AdminAuthInitialization/)
    assert.match(anonymous.err, /admin credentials used: none .*pass --admin-token-file, --admin-token or --admin-key/)
    const otherKey = file(
      'other.pem',
      readFileSync(new URL('../../fixtures/tls/server-key.pem', import.meta.url), 'utf8'),
    )
    const wrong = await run([...connect, 'config', '--admin-key', otherKey, 'get-resource-policy'])
    assert.equal(wrong.status, 1)
    assert.match(wrong.err, /errors\/AdminAuthAccess/)
    assert.match(wrong.err, /admin credentials used: a token minted from --admin-key/)
  })

  it('hints at --insecure-allow-sample-tee only when the token shows the sample TEE gate', async () => {
    const plain = await run([...connect, 'attest'])
    assert.equal(plain.status, 0, plain.err)
    assert.doesNotMatch(plain.err, /insecure-allow-sample-tee/)
    const admin = [...connect, 'config', '--auth-private-key', kbs.adminKeyPath]
    assert.equal((await run([...admin, 'set-resource-policy', '--affirming'])).status, 0)
    kbs.status = 'contraindicated'
    kbs.hardware = 97
    try {
      const gated = await run([...connect, 'attest'])
      assert.equal(gated.status, 0, gated.err)
      assert.match(gated.err, /note: the token rates cpu0 hardware 97 .*without --insecure-allow-sample-tee/)
      const denied = await run([...connect, 'get-resource', '--path', 'default/key/one'])
      assert.equal(denied.status, 1)
      assert.match(denied.err, /get-resource: note: the token rates cpu0 hardware 97/)
      assert.match(denied.err, /errors\/PolicyDeny/)
      kbs.hardware = undefined
      const otherDenial = await run([...connect, 'get-resource', '--path', 'default/key/one'])
      assert.equal(otherDenial.status, 1)
      assert.doesNotMatch(otherDenial.err, /insecure-allow-sample-tee/)
    } finally {
      kbs.status = 'affirming'
      kbs.hardware = undefined
      assert.equal((await run([...admin, 'set-resource-policy', '--allow-all'])).status, 0)
    }
  })

  it('TLS and network failures say what to do', async () => {
    const untrusted = await run(['--url', kbs.url, 'attest'])
    assert.equal(untrusted.status, 1)
    assert.match(
      untrusted.err,
      /certificate not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\) for 127\.0\.0\.1:\d+: pass --cert-file/,
    )
    const plain = await run(['--url', kbs.url.replace('https:', 'http:'), 'attest'])
    assert.equal(plain.status, 1)
    assert.match(plain.err, /if it serves HTTPS, use an https:\/\/ URL|cannot reach the KBS/)
    const refused = await run(['--url', 'https://127.0.0.1:1', '--cert-file', FIXTURE_CERT_PATH, 'attest'])
    assert.equal(refused.status, 1)
    assert.match(refused.err, /cannot reach the KBS at https:\/\/127\.0\.0\.1:1: connection refused/)
    const notCert = await run(['--url', kbs.url, '--cert-file', file('x.pem', 'nope'), 'attest'])
    assert.equal(notCert.status, 1)
    assert.match(notCert.err, /holds no PEM certificate/)
  })
})
