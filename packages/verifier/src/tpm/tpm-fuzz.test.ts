import assert from 'node:assert/strict'
import { createHash, generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import { mutateBytes, outcome, seededRandom } from './fuzz-support.ts'
import { syntheticQuote } from './synthetic-quote.ts'
import { createTpmVerifier } from './tpm-verifier.ts'

const reportData = new Uint8Array(createHash('sha384').update('fuzz').digest())
const pcrs: Uint8Array[] = Array.from({ length: 24 }, (_, i) => new Uint8Array(32).fill(i))
const key = generateKeyPairSync('rsa', { modulusLength: 2048 })
const quote = syntheticQuote({ key: key.privateKey, scheme: 'rsassa', extraData: reportData.subarray(0, 32), pcrs })
const fields: Record<'ak_public' | 'message' | 'signature', Uint8Array> = {
  ak_public: new Uint8Array(key.publicKey.export({ format: 'der', type: 'spki' })),
  message: quote.message,
  signature: quote.signature,
}

function evidence(f: typeof fields, pcrValues: readonly Uint8Array[]): unknown {
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64')
  return {
    ak_public: b64(f.ak_public),
    tpm_quote: {
      message: b64(f.message),
      signature: b64(f.signature),
      pcrs: pcrValues.map((p) => Buffer.from(p).toString('hex')),
    },
  }
}

test('tpm fuzz: 10,000 mutations of golden evidence are only ever rejected, with typed errors', async () => {
  const verifier = createTpmVerifier()
  const verify = (e: unknown) => () => verifier.verify(e, { reportData })
  assert.equal(await outcome(verify(evidence(fields, pcrs))), 'accepted')
  const pick = seededRandom(0x7e4)
  let rejected = 0
  for (let i = 0; i < 10_000; i++) {
    const which = pick(4)
    const f = { ...fields }
    const values = [...pcrs]
    if (which === 3) {
      const at = pick(values.length)
      const mutated = mutateBytes(values[at] ?? new Uint8Array(), pick)
      if (Buffer.from(mutated).equals(values[at] ?? new Uint8Array())) continue
      values[at] = mutated
    } else {
      const name = (['ak_public', 'message', 'signature'] as const)[which] ?? 'message'
      const mutated = mutateBytes(f[name], pick)
      if (Buffer.from(mutated).equals(f[name])) continue
      f[name] = mutated
    }
    const mutated = evidence(f, values)
    if ((await outcome(verify(mutated))) === 'accepted') {
      assert.fail(`mutation ${String(i)} was accepted: ${JSON.stringify(mutated)}`)
    }
    rejected++
  }
  assert.ok(rejected > 9_000)
})

test('tpm fuzz: 2,000 field mutations of the evidence JSON are only ever refused, with typed errors', async () => {
  const verifier = createTpmVerifier()
  const result = await fuzzVerifier({
    golden: evidence(fields, pcrs),
    mutate: mutateJson,
    verify: (e) => verifier.verify(e, { reportData }),
    runs: 2_000,
    seed: 0x7e5,
  })
  assert.equal(result.rejected + result.unchanged, 2_000)
  assert.ok((result.codes.EVIDENCE_MALFORMED ?? 0) > 0)
})
