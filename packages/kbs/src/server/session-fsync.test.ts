import assert from 'node:assert/strict'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { createSampleAttester } from '@carapace/attester'
import { createKbsAdminClient, createKbsClient, createNodeFetch, mintAdminToken } from '@carapace/kbs-client'
import { readFileSync } from 'node:fs'
import { tempDir } from './server-test-support.ts'
import { startKbsServer } from './start-kbs-server.ts'

const temp = tempDir('carapace-session-fsync-')
after(() => {
  temp.remove()
})

/** Counts FileHandle.sync() calls (files and directories) made while `fn` runs. */
async function countSyncs(fn: () => Promise<void>): Promise<number> {
  const probe = await open(join(temp.dir, 'probe'), 'w')
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> }
  await probe.close()
  const original = proto.sync
  let calls = 0
  proto.sync = function (this: unknown) {
    calls += 1
    return original.call(this)
  }
  try {
    await fn()
  } finally {
    proto.sync = original
  }
  return calls
}

describe('fs storage durability of a started KBS', () => {
  it('writes RCAR sessions without fsync and operator writes with it', async () => {
    const kbs = await startKbsServer({
      dataDir: join(temp.dir, 'data'),
      listen: '127.0.0.1:0',
      insecureAllowSampleTee: true,
      logger: { log: () => undefined },
    })
    try {
      const fetch = createNodeFetch({ ca: kbs.certificatePem ?? '' })
      const token = mintAdminToken(readFileSync(kbs.adminPrivateKeyPath ?? '', 'utf8'), { ttlSeconds: 300 })
      const admin = createKbsAdminClient({ url: kbs.url, token, fetch })
      const operator = await countSyncs(async () => {
        await admin.setResource('default/key/one', new TextEncoder().encode('secret'))
      })
      assert.ok(operator >= 2, `resource file and directory synced, got ${String(operator)}`)
      const client = createKbsClient({ url: kbs.url, attester: createSampleAttester(), fetch })
      const handshake = await countSyncs(async () => {
        await client.attest()
      })
      assert.equal(handshake, 0)
    } finally {
      await kbs.close()
    }
  })
})
