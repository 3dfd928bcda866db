import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fuzzVerifier } from '../fuzz/fuzz-verifier.ts'
import { mutateBytes } from '../fuzz/mutate-bytes.ts'
import { mutateJson } from '../fuzz/mutate-json.ts'
import type { VerificationContext } from '../verifier.ts'
import { DPU_ALIAS_NOT_BEFORE, type DpuEvidenceJson } from './nvidia-dpu-test-evidence.ts'
import { createNvidiaDpuVerifier } from './nvidia-dpu-verifier.ts'

const fixtures = new URL('../../fixtures/nvidia-dpu/', import.meta.url)
const text = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8')
const golden = JSON.parse(text('evidence.json')) as DpuEvidenceJson
const expected = { reportData: new Uint8Array(Buffer.from(text('report-data.hex').trim(), 'hex')) }
const context: VerificationContext = { at: new Date(DPU_ALIAS_NOT_BEFORE.getTime() + 600_000) }
const verifier = createNvidiaDpuVerifier({ rootCa: text('root-ca.pem') })

const FIELDS = ['alias_cert', 'device_id_cert', 'report_data_signature'] as const
type Field = (typeof FIELDS)[number]
type Parts = Readonly<Record<Field, Uint8Array>>

const device = golden.devices[0]
assert.ok(device !== undefined)
const parts: Parts = {
  alias_cert: new Uint8Array(Buffer.from(device.alias_cert, 'base64')),
  device_id_cert: new Uint8Array(Buffer.from(device.device_id_cert, 'base64')),
  report_data_signature: new Uint8Array(Buffer.from(device.report_data_signature, 'base64')),
}
const evidenceOf = (p: Parts): DpuEvidenceJson => ({
  version: golden.version,
  devices: [
    {
      architecture: device.architecture,
      alias_cert: Buffer.from(p.alias_cert).toString('base64'),
      device_id_cert: Buffer.from(p.device_id_cert).toString('base64'),
      report_data_signature: Buffer.from(p.report_data_signature).toString('base64'),
    },
  ],
})

test('nvidia-dpu fuzz: 10,000 byte mutations of the certificates and the signature are only ever rejected, with typed errors', async () => {
  const result = await fuzzVerifier<Parts>({
    golden: parts,
    mutate: (p, pick) => {
      const field = FIELDS[pick(FIELDS.length)] ?? 'alias_cert'
      return { ...p, [field]: mutateBytes(p[field], pick) }
    },
    verify: (p) => verifier.verify(evidenceOf(p), expected, context),
    runs: 10_000,
    seed: 0xd9e,
  })
  assert.equal(result.rejected + result.unchanged, 10_000)
  assert.ok(result.rejected > 9_500, `${String(result.rejected)} rejected`)
})

test('nvidia-dpu fuzz: 2,000 field mutations of the evidence JSON are only ever rejected, with typed errors', async () => {
  const result = await fuzzVerifier<unknown>({
    golden,
    mutate: mutateJson,
    verify: (evidence) => verifier.verify(evidence, expected, context),
    runs: 2_000,
    seed: 0xd9f,
  })
  assert.ok(result.rejected > 1_000, `${String(result.rejected)} rejected`)
})
