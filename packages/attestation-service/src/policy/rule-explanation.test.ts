import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { canonicalize } from '@carapace/protocol'
import { createRvps } from '@carapace/rvps'
import { createMemoryStorage } from '@carapace/storage'
import { createAttestationService } from '../attestation-service.ts'

const runtimeData = { nonce: 'bm9uY2U=', 'tee-pubkey': { kty: 'EC', x: 'AAAA' }, 'additional-evidence': '' }

test('a warning or contraindicated trust claim names the rule bodies that failed and the claims they read', async () => {
  const storage = createMemoryStorage()
  const rvps = createRvps({ storage })
  await rvps.register({
    version: '0.1.0',
    type: 'sample',
    payload: Buffer.from(JSON.stringify({ svn: ['2'], launch_digest: ['abcde'] })).toString('base64'),
  })
  const service = createAttestationService({ storage, rvps })
  const digest = createHash('sha384').update(canonicalize(runtimeData)).digest('base64')
  const { explanation } = await service.evaluate({
    tee: 'sample',
    evidence: JSON.stringify({ svn: '1', report_data: digest }),
    runtimeData: { structured: runtimeData },
  })
  const cpu0 = explanation.submods['cpu0']
  assert.ok(cpu0)
  const hardware = cpu0.trustClaims.hardware
  assert.equal(hardware.value, 97)
  assert.equal(hardware.source, 'default')
  assert.equal(hardware.rule?.rule, 'data.policy.hardware')
  assert.equal(hardware.rule.value, '97')
  const applied = hardware.rule.bodies.filter((body) => body.failed !== undefined && body.failed.index > 0)
  assert.equal(applied.length, 1)
  const failed = applied[0]?.failed
  assert.ok(failed)
  assert.equal(failed.text, 'input.sample.svn in query_reference_value("svn")')
  assert.deepEqual(failed.values, [{ ref: 'input.sample.svn', value: '"1"' }])
  // Affirming claims carry no rule explanation.
  assert.equal(cpu0.trustClaims.executables.value, 3)
  assert.equal(cpu0.trustClaims.executables.rule, undefined)
})
