import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { createSampleAttester } from '@carapace/attester'
import { createKbsAdminClient, createKbsClient, mintAdminToken } from '@carapace/kbs-client'
import { parse as parseYaml } from 'yaml'
import { parseKbsConfig } from '../config/index.ts'
import { buildKbs } from './build-kbs.ts'
import { capturingLogger, tempDir } from './server-test-support.ts'
import { startKbsServer } from './start-kbs-server.ts'

/*
 * Real upstream configs (fixtures/config, see its README) started as they are, with only their
 * absolute paths moved into a temp directory: what an operator migrating from Trustee gets.
 */

const FIXTURES = new URL('../../fixtures/config/', import.meta.url)
const temp = tempDir('carapace-served-configs-')
after(() => {
  temp.remove()
})
let counter = 0

interface Moved {
  readonly root: string
  readonly text: string
}

/** The fixture with `/opt/…`, `/opa/…` and `/kbs/…` paths moved under a fresh directory. */
function moved(name: string): Moved {
  const root = join(temp.dir, `c${String(counter++)}`)
  mkdirSync(root)
  const text = readFileSync(new URL(name, FIXTURES), 'utf8').replace(
    /"\/(opt|opa|kbs)\//g,
    (_match, top: string) => `"${root}/${top}/`,
  )
  return { root, text }
}

const SAMPLE_REFERENCE_VALUES = { launch_digest: ['abcde'], svn: ['1'], major_version: 1, minimum_minor_version: 0 }

describe('upstream configs with the LocalFs resource plugin start and serve its directory', () => {
  it('kubernetes base: a resource put there by hand is released to a (sample) guest; admin writes land there', async () => {
    const { root, text } = moved('trustee-kubernetes-base-kbs-config.toml')
    mkdirSync(join(root, 'kbs'))
    const admin = generateKeyPairSync('ed25519')
    writeFileSync(join(root, 'kbs', 'kbs.pem'), admin.publicKey.export({ type: 'spki', format: 'pem' }))
    const repository = join(root, 'opt', 'confidential-containers', 'kbs', 'repository')
    mkdirSync(join(repository, 'default', 'kbsres1'), { recursive: true })
    writeFileSync(join(repository, 'default', 'kbsres1', 'key1'), 'res1val1')
    const { config, warnings } = parseKbsConfig(text, { fileName: 'kbs-config.toml' })
    const logger = capturingLogger()
    const kbs = await startKbsServer({
      config,
      configWarnings: warnings,
      configPath: 'kbs-config.toml',
      listen: '127.0.0.1:0',
      insecureAllowSampleTee: true,
      logger,
    })
    try {
      const token = mintAdminToken(String(admin.privateKey.export({ type: 'pkcs8', format: 'pem' })), {
        ttlSeconds: 300,
      })
      const client = createKbsAdminClient({ url: kbs.url, token })
      await client.setReferenceValue({
        version: '0.1.0',
        type: 'sample',
        payload: Buffer.from(JSON.stringify(SAMPLE_REFERENCE_VALUES)).toString('base64'),
      })
      const guest = createKbsClient({ url: kbs.url, attester: createSampleAttester() })
      assert.equal(Buffer.from(await guest.getResource('default/kbsres1/key1')).toString(), 'res1val1')
      // The per-attestation development-mode warning names the /attest request it belongs to.
      const warning = logger.lines.find((l) => /appraising sample TEE evidence/.test(l.message))
      const attest = logger.lines.find((l) => l.message === 'request' && l.fields['path'] === '/kbs/v0/attest')
      assert.ok(warning !== undefined && attest !== undefined)
      assert.equal(warning.fields['requestId'], attest.fields['requestId'])
      await client.setResource('default/written/key', new TextEncoder().encode('through the admin API'))
      assert.equal(readFileSync(join(repository, 'default', 'written', 'key'), 'utf8'), 'through the admin API')
      assert.equal(Buffer.from(await guest.getResource('default/written/key')).toString(), 'through the admin API')
      await client.deleteResource('default/written/key')
      assert.deepEqual(readdirSync(join(repository, 'default', 'written')), [])
      const traversal = await fetch(`${kbs.url}/kbs/v0/resource/default/..%2F..%2Fetc/passwd`)
      assert.equal(traversal.status, 401)
    } finally {
      await kbs.close()
    }
  })
})

describe('upstream configs with LocalJson storage start and keep their namespaces in upstream files', () => {
  it('operator all-in-one (ConfigMap): legacy RVPS LocalJson storage and the LocalFs resource plugin', async () => {
    const manifest = moved('operator-all-in-one-kbs-config.yaml')
    const toml = (parseYaml(manifest.text) as { data: Record<string, string> }).data['kbs-config.toml'] ?? ''
    const storage = join(manifest.root, 'opt', 'confidential-containers', 'storage')
    mkdirSync(join(storage, 'kbs'), { recursive: true })
    writeFileSync(join(storage, 'kbs', 'resource-policy.rego'), 'package policy\n\ndefault allow := false\n')
    mkdirSync(join(storage, 'repository', 'default', 'by-hand'), { recursive: true })
    writeFileSync(join(storage, 'repository', 'default', 'by-hand', 'key'), 'placed by the operator')
    const { config, warnings } = parseKbsConfig(toml, { fileName: 'kbs-config.toml' })
    const kbs = await buildKbs({ config, configWarnings: warnings, logger: capturingLogger() })
    try {
      await kbs.rvps.register({
        version: '0.1.0',
        type: 'sample',
        payload: Buffer.from(JSON.stringify({ svn: ['7'] })).toString('base64'),
      })
      const file = JSON.parse(readFileSync(join(storage, 'local_json', 'reference_value'), 'utf8')) as Record<
        string,
        string
      >
      assert.deepEqual(Object.keys(file), ['svn'])
      assert.deepEqual(await kbs.rvps.query('svn'), ['7'])
      assert.equal(
        Buffer.from((await kbs.storage.get('repository', 'default/by-hand/key')) ?? []).toString(),
        'placed by the operator',
      )
    } finally {
      await kbs.close()
    }
  })

  it('trustee-operator permissive template: RVPS on LocalJson (its dir_path taken as file_dir_path), the rest on LocalFs', async () => {
    const { root, text } = moved('kbs-config-permissive.toml')
    const { config, warnings } = parseKbsConfig(text, { fileName: 'kbs-config.toml' })
    const kbs = await buildKbs({ config, configWarnings: warnings, logger: capturingLogger() })
    try {
      await kbs.rvps.register({
        version: '0.1.0',
        type: 'sample',
        payload: Buffer.from(JSON.stringify({ svn: ['7'] })).toString('base64'),
      })
      const json = join(root, 'opt', 'confidential-containers', 'storage', 'local_json')
      assert.deepEqual(readdirSync(json), ['reference_value'])
      assert.deepEqual(await kbs.rvps.query('svn'), ['7'])
    } finally {
      await kbs.close()
    }
  })
})

describe('auth rate limit over a real socket', () => {
  it('the peer address of the connection is the client: its third /auth within the second is 429', async () => {
    const { config, warnings } = parseKbsConfig(
      '[http_server]\ninsecure_http = true\nauth_rate_limit_per_second = 1\nauth_rate_limit_burst = 2\n[admin]\nauthorization_mode = "DenyAll"\n[storage_backend]\nstorage_type = "memory"\n',
      { fileName: 'auth-rate-limit.toml' },
    )
    const logger = capturingLogger()
    const kbs = await startKbsServer({ config, configWarnings: warnings, listen: '127.0.0.1:0', logger })
    try {
      const auth = () =>
        fetch(`${kbs.url}/kbs/v0/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
          body: JSON.stringify({ version: '0.4.0', tee: 'sample', 'extra-params': '' }),
        })
      const statuses = []
      for (let i = 0; i < 3; i++) statuses.push((await auth()).status)
      assert.deepEqual(statuses, [200, 200, 429])
      assert.ok(
        logger.lines.some((l) => l.message === 'auth rate limit exceeded' && l.fields['client'] === '127.0.0.1'),
      )
    } finally {
      await kbs.close()
    }
  })
})
