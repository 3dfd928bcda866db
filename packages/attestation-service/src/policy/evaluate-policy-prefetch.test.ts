import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { JsonValue } from '@carapace/protocol'
import { createMemoryStorage, type Storage } from '@carapace/storage'
import { createRvps, type ReferenceValueLookup } from '@carapace/rvps'
import { evaluatePolicy, type LookupReferenceValue } from './evaluate-policy.ts'
import { createPolicyStore } from './policy-store.ts'

const sampleInput = {
  sample: { svn: '1', launch_digest: 'abcde', platform_version: { major: 1, minor: 4 }, debug: false },
}
const NOW = new Date('2026-01-01T00:00:00Z')

async function register(storage: Storage, values: Record<string, unknown>): Promise<void> {
  const rvps = createRvps({ storage, now: () => NOW })
  await rvps.register({
    version: '0.1.0',
    type: 'sample',
    payload: Buffer.from(JSON.stringify(values)).toString('base64'),
  })
}

/** A lookup that records the ids asked and the most lookups ever in flight at once. */
function countingLookup(storage: Storage): { lookup: LookupReferenceValue; ids: string[]; maxInFlight: () => number } {
  const rvps = createRvps({ storage, now: () => NOW })
  const ids: string[] = []
  let inFlight = 0
  let max = 0
  return {
    ids,
    maxInFlight: () => max,
    async lookup(id): Promise<ReferenceValueLookup> {
      ids.push(id)
      inFlight += 1
      max = Math.max(max, inFlight)
      await new Promise((resolve) => setImmediate(resolve))
      try {
        return await rvps.lookup(id)
      } finally {
        inFlight -= 1
      }
    },
  }
}

/** The same policy evaluated by a store of its own: a new compiled policy, so nothing remembered. */
async function freshOutcome(storage: Storage, id: string, input: JsonValue) {
  const store = createPolicyStore(storage)
  const rvps = createRvps({ storage, now: () => NOW })
  return evaluatePolicy(await store.compiled(id), id, input, (ref) => rvps.lookup(ref))
}

test('the second evaluation prefetches last time’s ids in one batch and gives the same outcome', async () => {
  const storage = createMemoryStorage()
  await register(storage, { launch_digest: ['abcde'], svn: ['1'], major_version: 1, minimum_minor_version: 0 })
  const store = createPolicyStore(storage)
  await store.installDefaults()
  const policy = await store.compiled('default_cpu')
  const first = countingLookup(storage)
  const firstOutcome = await evaluatePolicy(policy, 'default_cpu', sampleInput, first.lookup)
  assert.equal(first.maxInFlight(), 1, 'the first evaluation looks ids up round by round')
  assert.ok(first.ids.length >= 2)
  const second = countingLookup(storage)
  const secondOutcome = await evaluatePolicy(policy, 'default_cpu', sampleInput, second.lookup)
  assert.deepEqual(second.ids, first.ids, 'the same ids, each once')
  assert.equal(second.maxInFlight(), first.ids.length, 'all of them at once, before the first round')
  assert.deepEqual(secondOutcome, firstOutcome)
  assert.deepEqual(secondOutcome, await freshOutcome(storage, 'default_cpu', sampleInput))
})

test('prefetched values come fresh from the RVPS: a changed reference value is seen', async () => {
  const storage = createMemoryStorage()
  await register(storage, { launch_digest: ['abcde'], svn: ['1'], major_version: 1, minimum_minor_version: 0 })
  const store = createPolicyStore(storage)
  await store.installDefaults()
  const policy = await store.compiled('default_cpu')
  const rvps = createRvps({ storage, now: () => NOW })
  const before = await evaluatePolicy(policy, 'default_cpu', sampleInput, (id) => rvps.lookup(id))
  assert.equal(before.trustVector.executables, 3)
  await register(storage, { launch_digest: ['other'] })
  const after = await evaluatePolicy(policy, 'default_cpu', sampleInput, (id) => rvps.lookup(id))
  assert.notEqual(after.trustVector.executables, 3)
  assert.deepEqual(after, await freshOutcome(storage, 'default_cpu', sampleInput))
})

test('ids prefetched but not asked this time are not reported; new ids still take a round', async () => {
  const storage = createMemoryStorage()
  await register(storage, { a: ['1'], b: ['2'] })
  const store = createPolicyStore(storage)
  await store.setPolicy(
    'pick',
    [
      'package policy',
      'import rego.v1',
      'trust_claims := {"hardware": 2} if { query_reference_value(input.ref)[_] == input.want }',
      'else := {"hardware": 97}',
      '',
    ].join('\n'),
  )
  const policy = await store.compiled('pick')
  const rvps = createRvps({ storage, now: () => NOW })
  const lookup: LookupReferenceValue = (id) => rvps.lookup(id)
  const a = await evaluatePolicy(policy, 'pick', { ref: 'a', want: '1' }, lookup)
  assert.deepEqual(
    a.explanation.referenceValues.map((r) => r.id),
    ['a'],
  )
  const b = await evaluatePolicy(policy, 'pick', { ref: 'b', want: '2' }, lookup)
  assert.deepEqual(b, await freshOutcome(storage, 'pick', { ref: 'b', want: '2' }))
  assert.deepEqual(
    b.explanation.referenceValues.map((r) => r.id),
    ['b'],
  )
  assert.equal(b.trustVector.hardware, 2)
})

test('a failed prefetch is dropped, and fails the evaluation only when the policy asks for the id', async () => {
  const storage = createMemoryStorage()
  await register(storage, { a: ['1'], b: ['2'] })
  const store = createPolicyStore(storage)
  await store.setPolicy(
    'pick2',
    'package policy\nimport rego.v1\ntrust_claims := {"hardware": 2} if { query_reference_value(input.ref)[_] == "1" }\n',
  )
  const policy = await store.compiled('pick2')
  const rvps = createRvps({ storage, now: () => NOW })
  await evaluatePolicy(policy, 'pick2', { ref: 'b' }, (id) => rvps.lookup(id))
  const failingB: LookupReferenceValue = (id) => (id === 'b' ? Promise.reject(new Error('rvps down')) : rvps.lookup(id))
  const outcome = await evaluatePolicy(policy, 'pick2', { ref: 'a' }, failingB)
  assert.equal(outcome.trustVector.hardware, 2)
  await assert.rejects(evaluatePolicy(policy, 'pick2', { ref: 'b' }, failingB), /rvps down/)
})
