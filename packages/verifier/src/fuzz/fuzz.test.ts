import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { fuzzVerifier } from './fuzz-verifier.ts'
import { BYTE_MUTATIONS, mutateBytes } from './mutate-bytes.ts'
import { mutateJson } from './mutate-json.ts'
import { seededPick } from './seeded-random.ts'

const golden = Uint8Array.from({ length: 64 }, (_, i) => i)

describe('fuzz harness', () => {
  test('the same seed makes the same mutations', () => {
    const run = (seed: number): string[] => {
      const pick = seededPick(seed)
      return Array.from({ length: 50 }, () => Buffer.from(mutateBytes(golden, pick)).toString('hex'))
    }
    assert.deepEqual(run(7), run(7))
    assert.notDeepEqual(run(7), run(8))
  })

  test('every byte mutation kind changes the input the way it says', () => {
    const pick = seededPick(1)
    for (const kind of new Set(BYTE_MUTATIONS)) {
      for (let i = 0; i < 200; i++) {
        const out = mutateBytes(golden, pick, kind)
        if (kind === 'truncate') assert.ok(out.length < golden.length)
        if (kind === 'extend' || kind === 'duplicate') assert.ok(out.length > golden.length)
        if (kind === 'remove') assert.ok(out.length < golden.length)
        if (kind === 'flip' || kind === 'splice') assert.equal(out.length, golden.length)
      }
    }
    assert.deepEqual(
      golden,
      Uint8Array.from({ length: 64 }, (_, i) => i),
      'the input is never written',
    )
  })

  test('JSON mutations keep hex and base64 fields encoded and never touch the input', () => {
    const evidence = { quote: Buffer.from(golden).toString('base64'), nonce: 'ab'.repeat(32), list: [1, 2] }
    const before = structuredClone(evidence)
    const pick = seededPick(3)
    let hexKept = 0
    for (let i = 0; i < 500; i++) {
      const out = mutateJson(evidence, pick) as Record<string, unknown>
      if (typeof out.nonce === 'string' && out.nonce !== evidence.nonce && /^[0-9a-f]+$/.test(out.nonce)) hexKept++
    }
    assert.deepEqual(evidence, before)
    assert.ok(hexKept > 20, `${String(hexKept)} hex mutations`)
  })

  test('counts rejections by code and fails on untyped failures and on any accepted mutation', async () => {
    const strict = (e: Uint8Array): Promise<void> =>
      Buffer.from(e).equals(Buffer.from(golden))
        ? Promise.resolve()
        : Promise.reject(new VerificationError('SIGNATURE_INVALID', 'changed'))
    const result = await fuzzVerifier({ golden, mutate: mutateBytes, verify: strict, runs: 300, seed: 9 })
    assert.equal(result.rejected + result.unchanged, 300)
    assert.equal(result.codes.SIGNATURE_INVALID, result.rejected)

    const untyped = (e: Uint8Array): Promise<void> => (e.length > 64 ? Promise.reject(new Error('boom')) : strict(e))
    await assert.rejects(fuzzVerifier({ golden, mutate: mutateBytes, verify: untyped, runs: 300, seed: 9 }), /untyped/)

    const prefix = (e: Uint8Array): boolean => Buffer.from(e.subarray(0, 64)).equals(Buffer.from(golden))
    const lax = (e: Uint8Array): Promise<void> => (prefix(e) ? Promise.resolve() : strict(e))
    await assert.rejects(fuzzVerifier({ golden, mutate: mutateBytes, verify: lax, runs: 300, seed: 9 }), /accepted/)
  })

  test('JSON evidence is compared parsed: a mutation giving the same value is untouched, not verified', async () => {
    const json = { b: 1, a: [1, 2] }
    let verified = 0
    const result = await fuzzVerifier({
      golden: json,
      mutate: () => JSON.parse(JSON.stringify({ a: [1, 2], b: 1 })) as typeof json,
      verify: () => {
        verified++
        return Promise.resolve()
      },
      runs: 20,
      seed: 1,
    })
    assert.equal(result.unchanged, 20)
    assert.equal(verified, 1, 'only the golden evidence is verified')
  })
})
