import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateBytes } from '../fuzz/mutate-bytes.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import type { VerificationContext } from '../verifier.ts'
import { parsePemChain } from './nvidia-cert-chain.ts'
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

test('nvidia fuzz: 1,000 mutations of the certificate chain are only ever rejected, with typed errors', async () => {
  const verifier = createNvidiaVerifier()
  const golden = deviceEvidence({ uuid: UUID })
  const pem = new Uint8Array(Buffer.from(golden.certificate ?? '', 'base64'))
  const ders = (text: Uint8Array): string[] =>
    parsePemChain(Buffer.from(text).toString('utf8')).map((c) => c.raw.toString('hex'))
  await fuzzVerifier({
    golden: pem,
    mutate: mutateBytes,
    verify: (bytes) =>
      verifier.verify(
        nvidiaEvidence({ ...golden, certificate: Buffer.from(bytes).toString('base64') }),
        expected,
        context,
      ),
    runs: 1_000,
    seed: 0xce27,
    // Text outside the PEM blocks, or base64 that decodes the same, leaves the same certificates.
    acceptable: (mutated) => JSON.stringify(ders(mutated)) === JSON.stringify(ders(pem)),
  })
})

test('nvidia fuzz: 1,000 field mutations of the evidence JSON are only ever rejected, with typed errors', async () => {
  const verifier = createNvidiaVerifier()
  const golden: unknown = nvidiaEvidence(deviceEvidence({ uuid: UUID }))
  const result = await fuzzVerifier({
    golden,
    mutate: mutateJson,
    verify: (evidence) => verifier.verify(evidence, expected, context),
    runs: 1_000,
    seed: 0x150,
    // The uuid, keys the verifier does not read and text outside the PEM blocks are not signed.
    acceptable: (mutated) => {
      const list = (mutated as { device_evidence_list?: unknown }).device_evidence_list
      if (!Array.isArray(list) || list.length !== 1) return false
      const device = list[0] as Record<string, unknown>
      const before = golden as { device_evidence_list: Record<string, unknown>[] }
      const same = ['arch', 'evidence'].every((k) => device[k] === before.device_evidence_list[0]?.[k])
      const pem = (b64: unknown): string =>
        JSON.stringify(
          parsePemChain(Buffer.from(String(b64), 'base64').toString('utf8')).map((c) => c.raw.toString('hex')),
        )
      return same && pem(device.certificate) === pem(before.device_evidence_list[0]?.certificate)
    },
  })
  assert.ok(result.rejected > 700, `${String(result.rejected)} rejected`)
})
