import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createSampleAttester } from '@carapace/attester'
import { startCdhServer } from '@carapace/data-hub'
import { loadKbsConfig, startKbsServer } from '@carapace/kbs'
import { createKbsAdminClient } from '@carapace/kbs-client'
import { createCapturingLogger } from './support/capturing-logger.ts'
import { registerSampleReferenceValues } from './support/sample-reference-values.ts'
import { makeTempDataDir } from './support/temp-data-dir.ts'

/** The shape of guest-components' KBS protocol test config (an upstream Trustee deployment). */
const trusteeConfig = (storageDir: string): string => `[http_server]
insecure_http = true
sockets = ["127.0.0.1:0"]

[attestation_token]
insecure_header_jwk = true

[attestation_service]
type = "coco_as_builtin"
work_dir = "/opt/confidential-containers/attestation-service"

[attestation_service.attestation_token_config]
type = "Ear"
duration_min = 5

[attestation_service.rvps_config]
type = "BuiltIn"

[admin]
authorization_mode = "InsecureAllowAll"

[[plugins]]
name = "resource"
storage_backend_type = "kvstorage"

[storage_backend]
storage_type = "local_fs"
backends.local_fs.dir_path = "${storageDir}"
`

describe('a KBS started from an upstream Trustee config', () => {
  it('serves plain HTTP, an open admin API and the sample guest through the CDH, with a deprecation warning', async () => {
    const dir = await makeTempDataDir()
    const logger = createCapturingLogger()
    const configPath = join(dir.path, 'kbs-config.toml')
    await writeFile(configPath, trusteeConfig(join(dir.path, 'trustee')))
    const { config, warnings } = await loadKbsConfig(configPath)
    assert.ok(warnings.some((w) => JSON.stringify(w).includes('work_dir')))
    const kbs = await startKbsServer({
      config,
      configPath,
      configWarnings: warnings,
      dataDir: join(dir.path, 'data'),
      insecureAllowSampleTee: true,
      logger,
    })
    try {
      assert.match(kbs.url, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.ok(logger.entries.some((e) => e.level === 'warn' && /plain HTTP/.test(e.message)))
      const admin = createKbsAdminClient({ url: kbs.url })
      await registerSampleReferenceValues(admin)
      await admin.setResource('default/key/one', Buffer.from('from a Trustee-shaped deployment'))
      const cdh = await startCdhServer({
        kbsUrl: kbs.url,
        listen: '127.0.0.1:0',
        attester: createSampleAttester(),
        logger: () => undefined,
      })
      try {
        const response = await fetch(`${cdh.url}/cdh/resource/default/key/one`)
        assert.equal(response.status, 200)
        assert.equal(await response.text(), 'from a Trustee-shaped deployment')
      } finally {
        await cdh.close()
      }
    } finally {
      await kbs.close()
      await dir.remove()
    }
  })
})
