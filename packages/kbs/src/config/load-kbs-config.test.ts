import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { KbsConfigError } from './errors.ts'
import { loadKbsConfig } from './load-kbs-config.ts'

describe('loadKbsConfig', () => {
  it('reads the file; errors and warnings name its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kbs-config-'))
    try {
      const path = join(dir, 'kbs-config.yaml')
      await writeFile(path, 'admin:\n  insecure_api: true\n')
      const { config, warnings } = await loadKbsConfig(path)
      assert.equal(config.admin.authorizationMode, 'InsecureAllowAll')
      assert.deepEqual(
        warnings.map((warning) => [warning.key, warning.file]),
        [['admin.insecure_api', path]],
      )
      await writeFile(path, 'admin:\n  insecure_apis: true\n')
      await assert.rejects(loadKbsConfig(path), (error: unknown) => {
        assert.ok(error instanceof KbsConfigError)
        assert.equal(error.message.startsWith(`${path}: admin.insecure_apis: unknown key`), true, error.message)
        return true
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('a missing file is CONFIG_UNREADABLE naming the path', async () => {
    const path = join(tmpdir(), 'no-such-dir-kbs', 'kbs-config.toml')
    await assert.rejects(loadKbsConfig(path), (error: unknown) => {
      assert.ok(error instanceof KbsConfigError)
      assert.equal(error.code, 'CONFIG_UNREADABLE')
      assert.ok(error.message.startsWith(`${path}: cannot read config file`))
      return true
    })
  })
})
