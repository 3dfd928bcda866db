import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { parseKbsConfig } from '../config/index.ts'
import { SESSION_NAMESPACE } from '../session/session-record.ts'
import { tempDir } from './server-test-support.ts'
import { checkServedConfig } from './served-config.ts'
import { openStorageSet } from './storage-set.ts'

const temp = tempDir('carapace-storage-set-')
after(() => {
  temp.remove()
})

test('session_storage_type apart from storage_backend: sessions go to their own backend', async () => {
  const dir = join(temp.dir, 'fs')
  const { config } = parseKbsConfig(
    `session_storage_type = "Memory"\n[storage_backend]\nstorage_type = "LocalFs"\n[storage_backend.backends.local_fs]\ndir_path = "${dir}"\n`,
    { fileName: 'split.toml' },
  )
  const set = await openStorageSet(config, checkServedConfig(config))
  try {
    assert.equal(set.mainDir, dir)
    assert.equal(set.attestationPolicies, set.main)
    assert.equal(set.referenceValues, set.main)
    assert.notEqual(set.sessions, set.main)
    await set.kbs.put(SESSION_NAMESPACE, 'a'.repeat(32), new Uint8Array([1]))
    await set.kbs.put('repository', 'default/key/one', new Uint8Array([2]))
    assert.deepEqual(await set.sessions.list(SESSION_NAMESPACE), ['a'.repeat(32)])
    assert.deepEqual(await set.main.list(SESSION_NAMESPACE), [])
    assert.deepEqual(await set.main.list('repository'), ['default/key/one'])
  } finally {
    await set.close()
  }
})

test('a LocalFs resource plugin: resources go to <dir_path>/<repo>/<type>/<tag>, the rest to storage_backend', async () => {
  const dir = join(temp.dir, 'repository')
  const { config } = parseKbsConfig(
    `[storage_backend]\nstorage_type = "Memory"\n[[plugins]]\nname = "resource"\ntype = "LocalFs"\ndir_path = "${dir}"\n`,
    { fileName: 'legacy.toml' },
  )
  const set = await openStorageSet(config, checkServedConfig(config))
  try {
    assert.equal(set.resourceDir, dir)
    await set.kbs.put('repository', 'default/key/one', new Uint8Array([2]))
    await set.kbs.put('kbs', 'resource-policy.rego', new Uint8Array([3]))
    assert.deepEqual(readFileSync(join(dir, 'default', 'key', 'one')), Buffer.from([2]))
    assert.deepEqual(await set.main.list('repository'), [])
    assert.deepEqual(await set.main.list('kbs'), ['resource-policy.rego'])
  } finally {
    await set.close()
  }
})

test('storage_type = "LocalJson": each namespace one upstream JSON file; without file_dir_path it is refused', async () => {
  const dir = join(temp.dir, 'json')
  const { config } = parseKbsConfig(
    `[storage_backend]\nstorage_type = "local_json"\nbackends.local_json.file_dir_path = "${dir}"\n`,
    { fileName: 'json.toml' },
  )
  const set = await openStorageSet(config, checkServedConfig(config))
  try {
    await set.kbs.put('repository', 'default/key/one', new TextEncoder().encode('v'))
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'repository'), 'utf8')), { 'default/key/one': 'dg==' })
  } finally {
    await set.close()
  }
  const bare = parseKbsConfig('[storage_backend]\nstorage_type = "LocalJson"\n', { fileName: 'bare.toml' }).config
  await assert.rejects(openStorageSet(bare, checkServedConfig(bare), '/etc/bare.toml'), {
    code: 'NOT_SERVED',
    message: /\/etc\/bare\.toml: storage_backend\.storage_type is "LocalJson" but .*file_dir_path is not set/,
  })
})
