import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateBytes } from '../fuzz/mutate-bytes.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import type { VerificationContext } from '../verifier.ts'
import { HOPPER_NONCE, UUID, deviceEvidence, hopperReport, nvidiaEvidence } from './nvidia-test-evidence.ts'
import { createNvidiaVerifier } from './nvidia-verifier.ts'

const context: VerificationContext = { at: new Date('2025-06-01T00:00:00Z') }
const expected = { reportData: HOPPER_NONCE }

test('nvidia fuzz: 10,000 mutations of the golden SPDM report are only ever rejected, with typed errors', async () => {
  const verifier = createNvidiaVerifier()
  const base = deviceEvidence({ uuid: UUID })
  const result = await fuzzVerifier({
    golden: hopperReport(),
    mutate: mutateBytes,
    verify: (bytes) =>
      verifier.verify(nvidiaEvidence({ ...base, evidence: Buffer.from(bytes).toString('hex') }), expected, context),
    runs: 10_000,
    seed: 0x6e76,
  })
  assert.equal(result.rejected + result.unchanged, 10_000)
  assert.ok(result.rejected > 9_000, `${String(result.rejected)} rejected`)
})

test('nvidia fuzz: 2,000 mutations of the certificate chain text are only ever rejected, with typed errors', async () => {
  const verifier = createNvidiaVerifier()
  const golden = deviceEvidence({ uuid: UUID })
  const pem = new Uint8Array(Buffer.from(golden.certificate ?? '', 'base64'))
  const result = await fuzzVerifier({
    golden: pem,
    mutate: mutateBytes,
    verify: (bytes) =>
      verifier.verify(
        nvidiaEvidence({ ...golden, certificate: Buffer.from(bytes).toString('base64') }),
        expected,
        context,
      ),
    runs: 2_000,
    seed: 0xce27,
  })
  assert.equal(result.rejected + result.unchanged, 2_000)
})

/*
 * The JSON golden has no `uuid`: it is the one value nothing signed carries (nvidia-evidence.ts),
 * so a changed uuid cannot be told from the original; every other field is mutated.
 */
test('nvidia fuzz: 2,000 field mutations of the evidence JSON are only ever rejected, with typed errors', async () => {
  const verifier = createNvidiaVerifier()
  const golden: unknown = nvidiaEvidence(deviceEvidence())
  const result = await fuzzVerifier({
    golden,
    mutate: mutateJson,
    verify: (evidence) => verifier.verify(evidence, expected, context),
    runs: 2_000,
    seed: 0x150,
  })
  assert.ok(result.rejected > 1_900, `${String(result.rejected)} rejected`)
})
