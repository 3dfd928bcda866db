import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { VerificationError } from '@carapace/attestation-service'
import type { JsonObject } from '@carapace/protocol'
import { parseKbsConfig } from '../config/index.ts'
import { buildKbs } from './build-kbs.ts'
import { KbsServerError } from './server-error.ts'
import { capturingLogger, tempDir } from './server-test-support.ts'

// Synthetic BlueField DICE evidence and its root CA (packages/verifier/fixtures/nvidia-dpu/README.md).
const fixtures = new URL('../../../verifier/fixtures/nvidia-dpu/', import.meta.url)
const text = (name: string): string => readFileSync(new URL(name, fixtures), 'utf8')
const rootCaPath = new URL('root-ca.pem', fixtures).pathname
const evidence: unknown = JSON.parse(text('evidence.json'))
const reportData = new Uint8Array(Buffer.from(text('report-data.hex').trim(), 'hex'))
const claims = JSON.parse(text('expected-claims.json')) as JsonObject
const AT = new Date('2026-01-15T10:10:00Z')

const temp = tempDir('carapace-dpu-config-')
after(() => {
  temp.remove()
})

const config = (dpu: string) =>
  parseKbsConfig(
    `[http_server]\ninsecure_http = true\n[admin]\ntype = "InsecureAllowAll"\n[storage_backend]\nstorage_type = "Memory"\n` +
      `[attestation_service.verifier_config.nvidia_dpu_verifier]\n${dpu}`,
    { fileName: 'kbs-config.toml' },
  ).config

const request = { tee: 'nvidia-dpu' as const, evidence, runtimeData: { raw: reportData } }

describe('kbs serve: verifier_config.nvidia_dpu_verifier', () => {
  it('root_ca_cert_path reaches the nvidia-dpu verifier: the evidence gives its claims; max_cert_age_secs applies', async () => {
    let now = AT
    const kbs = await buildKbs({
      config: config(`root_ca_cert_path = ${JSON.stringify(rootCaPath)}\nmax_cert_age_secs = 900\n`),
      dataDir: join(temp.dir, 'a'),
      now: () => now,
      logger: capturingLogger(),
    })
    try {
      // Upstream ships no default policy for class nvidia-dpu either: the operator sets one.
      await kbs.attestationService.setPolicy(
        'default_nvidia-dpu',
        'package policy\nimport rego.v1\ntrust_claims := {"hardware": 2} if input["nvidia-dpu"].firmware_layers_count == 3\n',
      )
      const { payload } = await kbs.attestationService.evaluate(request)
      const submods = payload['submods'] as Record<string, JsonObject>
      const [name] = Object.keys(submods)
      assert.match(name ?? '', /nvidia-dpu/)
      const annotated = submods[name ?? '']?.['ear.veraison.annotated-evidence'] as JsonObject
      const dpu = annotated['nvidia-dpu'] as JsonObject
      for (const [key, value] of Object.entries(claims)) assert.deepEqual(dpu[key], value, key)
      assert.equal((submods[name ?? '']?.['ear.trustworthiness-vector'] as JsonObject)['hardware'], 2)
      now = new Date(AT.getTime() + 900_000) // 25 minutes after the Alias certificate was issued
      await assert.rejects(
        kbs.attestationService.evaluate(request),
        (e: unknown) => e instanceof VerificationError && e.code === 'CERT_EXPIRED',
      )
    } finally {
      await kbs.close()
    }
  })

  it('without the section, DPU evidence is COLLATERAL_UNAVAILABLE (no root CA)', async () => {
    const kbs = await buildKbs({
      config: parseKbsConfig(
        `[http_server]\ninsecure_http = true\n[admin]\ntype = "InsecureAllowAll"\n[storage_backend]\nstorage_type = "Memory"\n`,
        { fileName: 'kbs-config.toml' },
      ).config,
      dataDir: join(temp.dir, 'b'),
      now: () => AT,
      logger: capturingLogger(),
    })
    try {
      await assert.rejects(
        kbs.attestationService.evaluate(request),
        (e: unknown) => e instanceof VerificationError && e.code === 'COLLATERAL_UNAVAILABLE',
      )
    } finally {
      await kbs.close()
    }
  })

  it('a missing, unreadable or non-P-384 root CA is refused at start-up, naming the key', async () => {
    const notPem = join(temp.dir, 'not.pem')
    writeFileSync(notPem, 'hello')
    for (const [dpu, message] of [
      ['max_cert_age_secs = 60\n', /nvidia_dpu_verifier\.root_ca_cert_path: missing/],
      [`root_ca_cert_path = ${JSON.stringify(join(temp.dir, 'absent.pem'))}\n`, /cannot read .*absent\.pem/],
      [`root_ca_cert_path = ${JSON.stringify(notPem)}\n`, /root_ca_cert_path: nvidia-dpu root CA/],
    ] as const) {
      await assert.rejects(
        buildKbs({ config: config(dpu), dataDir: join(temp.dir, 'c'), logger: capturingLogger() }),
        (e: unknown) => e instanceof KbsServerError && e.code === 'INVALID_ARGUMENT' && message.test(e.message),
      )
    }
  })
})
