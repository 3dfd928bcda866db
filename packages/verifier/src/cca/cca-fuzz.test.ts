import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateBytes } from '../fuzz/mutate-bytes.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import { ccaEvidence, exampleToken, testTrustAnchors } from './cca-test-token.ts'
import { createCcaVerifier } from './cca-verifier.ts'

test('cca fuzz: 10,000 mutations of the example token are only ever rejected, with typed errors', async () => {
  const verifier = createCcaVerifier({ trustAnchors: testTrustAnchors() })
  const token = exampleToken()
  const challenge = new Uint8Array(64)
  // The example token's realm challenge, read from its fixed position after the realm claims header.
  const index = Buffer.from(token).indexOf(Buffer.from('57e979ae2618de0c', 'hex'))
  challenge.set(token.subarray(index, index + 64))
  const result = await fuzzVerifier({
    golden: token,
    mutate: mutateBytes,
    verify: (bytes) => verifier.verify(ccaEvidence(bytes), { reportData: challenge }),
    runs: 10_000,
    seed: 0xcca,
  })
  assert.equal(result.rejected + result.unchanged, 10_000)
  assert.ok(result.rejected > 9_000, `${String(result.rejected)} rejected`)
})

test('cca fuzz: 2,000 field mutations of the evidence JSON are only ever rejected, with typed errors', async () => {
  const verifier = createCcaVerifier({ trustAnchors: testTrustAnchors() })
  const token = exampleToken()
  const challenge = new Uint8Array(64)
  const index = Buffer.from(token).indexOf(Buffer.from('57e979ae2618de0c', 'hex'))
  challenge.set(token.subarray(index, index + 64))
  const result = await fuzzVerifier({
    golden: ccaEvidence(token),
    mutate: mutateJson,
    verify: (evidence) => verifier.verify(evidence, { reportData: challenge }),
    runs: 2_000,
    seed: 0xccb,
  })
  assert.equal(result.rejected + result.unchanged, 2_000)
})
