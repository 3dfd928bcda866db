import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createMemoryStorage } from '@carapace/storage'
import { createRvps } from '@carapace/rvps'
import { AttestationServiceError } from '../errors.ts'
import { evaluatePolicy } from './evaluate-policy.ts'
import { POLICY_NAMESPACE } from './policy-id.ts'
import { createPolicyStore } from './policy-store.ts'

const sampleInput = {
  sample: { svn: '1', launch_digest: 'abcde', platform_version: { major: 1, minor: 4 }, debug: false },
}

function isCode(code: string) {
  return (e: unknown) => e instanceof AttestationServiceError && e.code === code
}

test('defaults are installed without overwriting a stored policy', async () => {
  const storage = createMemoryStorage()
  const store = createPolicyStore(storage)
  await store.setPolicy('default_cpu', 'package policy\ntrust_claims := {"executables": 2}\n')
  await store.installDefaults()
  assert.deepEqual(await store.listPolicies(), ['default_cpu', 'default_gpu', 'default_ppcie', 'default_switch'])
  assert.match((await store.getPolicy('default_cpu')) ?? '', /"executables": 2/)
  assert.match((await store.getPolicy('default_gpu')) ?? '', /package policy/)
})

test('a policy that does not compile is rejected with the engine error and not stored', async () => {
  const storage = createMemoryStorage()
  const store = createPolicyStore(storage)
  await assert.rejects(store.setPolicy('broken', 'package policy\nx := \n'), isCode('POLICY_INVALID'))
  assert.equal(await storage.get(POLICY_NAMESPACE, 'broken.rego'), undefined)
  await assert.rejects(store.setPolicy('../x', 'package policy'), isCode('POLICY_INVALID'))
  await assert.rejects(store.compiled('nope'), isCode('POLICY_NOT_FOUND'))
})

test('default_cpu with matching reference values: rules fire, lookups explained', async () => {
  const storage = createMemoryStorage()
  const rvps = createRvps({ storage, now: () => new Date('2026-01-01T00:00:00Z') })
  await rvps.register({
    version: '0.1.0',
    type: 'sample',
    payload: Buffer.from(
      JSON.stringify({ launch_digest: ['abcde'], svn: ['1'], major_version: 1, minimum_minor_version: 0 }),
    ).toString('base64'),
  })
  const store = createPolicyStore(storage)
  await store.installDefaults()
  const outcome = await evaluatePolicy(await store.compiled('default_cpu'), 'default_cpu', sampleInput, (id) =>
    rvps.lookup(id),
  )
  assert.equal(outcome.trustVector.executables, 3)
  assert.equal(outcome.trustVector.hardware, 2)
  assert.equal(outcome.trustVector.configuration, 2)
  assert.deepEqual(outcome.explanation.trustClaims.executables, { value: 3, source: 'rule' })
  assert.deepEqual(outcome.explanation.trustClaims['file-system'], { value: 0, source: 'default' })
  const launch = outcome.explanation.referenceValues.find((r) => r.id === 'launch_digest')
  assert.equal(launch?.status, 'found')
})

test('missing and expired reference values leave the defaults and are reported', async () => {
  const storage = createMemoryStorage()
  let now = new Date('2026-01-01T00:00:00Z')
  const rvps = createRvps({ storage, now: () => now })
  await rvps.register(
    {
      version: '0.1.0',
      type: 'sample',
      payload: Buffer.from(JSON.stringify({ launch_digest: ['abcde'] })).toString('base64'),
    },
    { expiration: new Date('2026-02-01T00:00:00Z') },
  )
  now = new Date('2026-03-01T00:00:00Z')
  const store = createPolicyStore(storage)
  await store.installDefaults()
  const outcome = await evaluatePolicy(await store.compiled('default_cpu'), 'default_cpu', sampleInput, (id) =>
    rvps.lookup(id),
  )
  assert.deepEqual(valueAndSource(outcome.explanation.trustClaims.executables), { value: 33, source: 'default' })
  assert.deepEqual(valueAndSource(outcome.explanation.trustClaims.hardware), { value: 97, source: 'default' })
  const byId = new Map(outcome.explanation.referenceValues.map((r) => [r.id, r]))
  assert.equal(byId.get('launch_digest')?.status, 'expired')
  assert.equal(byId.get('svn')?.status, 'absent')
})

test('undefined trust_claims → all 0 (unset); bad trust claims are POLICY_EVALUATION', async () => {
  const storage = createMemoryStorage()
  const rvps = createRvps({ storage })
  const store = createPolicyStore(storage)
  await store.setPolicy('empty', 'package policy\nother := 1\n')
  const outcome = await evaluatePolicy(await store.compiled('empty'), 'empty', {}, (id) => rvps.lookup(id))
  assert.equal(outcome.explanation.trustClaimsUndefined, true)
  assert.deepEqual(outcome.explanation.trustClaims.hardware, { value: 0, source: 'unset' })
  assert.deepEqual(outcome.extensions, [])
  await store.setPolicy('big', 'package policy\ntrust_claims := {"hardware": 300}\n')
  await assert.rejects(
    evaluatePolicy(await store.compiled('big'), 'big', {}, (id) => rvps.lookup(id)),
    isCode('POLICY_EVALUATION'),
  )
})

test('only the claims the policy sets are in the vector; an empty trust_claims is POLICY_EVALUATION', async () => {
  const storage = createMemoryStorage()
  const rvps = createRvps({ storage })
  const store = createPolicyStore(storage)
  await store.setPolicy('two', 'package policy\ntrust_claims := {"hardware": 2, "executables": 3}\n')
  const outcome = await evaluatePolicy(await store.compiled('two'), 'two', {}, (id) => rvps.lookup(id))
  assert.deepEqual(outcome.trustVector, { executables: 3, hardware: 2 })
  assert.deepEqual(outcome.explanation.trustClaims.configuration, { value: 0, source: 'unset' })
  await store.setPolicy('none', 'package policy\ntrust_claims := {}\n')
  await assert.rejects(
    evaluatePolicy(await store.compiled('none'), 'none', {}, (id) => rvps.lookup(id)),
    isCode('POLICY_EVALUATION'),
  )
})

/** A trust claim's value and source (a warning or contraindicated one also carries its rule's explanation). */
function valueAndSource(claim: { value: number; source: string }): { value: number; source: string } {
  return { value: claim.value, source: claim.source }
}
