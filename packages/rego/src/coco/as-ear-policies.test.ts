import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { CompiledPolicy } from '../api.ts'
import { BuiltinError } from '../builtins/builtin.ts'
import { RegoError } from '../errors.ts'
import { fromJS } from '../value/json.ts'
import type { Value } from '../value/value.ts'
import { assertRegoEqual } from './assert-value.ts'
import { compileFixtures, FIXTURE } from './fixtures.ts'
import { referenceValueHost } from './reference-value-host.ts'
import {
  azSnpVtpmClaims,
  type Claims,
  MATCHING_REFERENCE_VALUES,
  sampleClaims,
  seClaims,
  snpClaims,
  tdxClaims,
} from './tee-claims.ts'

/**
 * The Attestation Service EAR contract (Trustee `attestation-service`, regorus, Rego v1): the
 * policy `default_<tee_class>` is evaluated for `data.policy.trust_claims` (object of ints, the
 * AR4SI trust vector) and `data.policy.extensions`; input = flattened TCB claims; the host
 * function `query_reference_value(id)` returns RVPS values or null. Expected vectors below follow
 * the rules of ear_default_policy_cpu.rego: a TEE whose claims match every reference value gets
 * executables 3 ("approved executables"), hardware 2 ("genuine") and configuration 2 ("approved
 * config"); without reference values the defaults 33 / 97 / 36 stay, except where a rule needs no
 * reference value (sample `debug == false`, the snp `else := 3`, `se`).
 */
function vector(executables: number, hardware: number, configuration: number): Record<string, number> {
  return {
    executables,
    hardware,
    configuration,
    'file-system': 0,
    'instance-identity': 0,
    'runtime-opaque': 0,
    'storage-opaque': 0,
    'sourced-data': 0,
  }
}

function evalClaims(
  policyFile: string,
  input: Claims,
  referenceValues: Readonly<Record<string, unknown>>,
): {
  trustClaims: Value | undefined
  calls: string[]
  policy: CompiledPolicy
} {
  const host = referenceValueHost(referenceValues)
  const policy = compileFixtures([policyFile], { hostFunctions: [host.def] })
  const trustClaims = policy.evalRule('data.policy.trust_claims', { input: fromJS(input) })
  return { trustClaims, calls: host.calls, policy }
}

function withoutKeys(values: Readonly<Record<string, unknown>>, drop: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !drop.includes(k)))
}

describe('AS ear_default_policy_cpu.rego: trust_claims', () => {
  test('no TEE claims at all: the defaults 33 / 97 / 36', () => {
    assertRegoEqual(evalClaims(FIXTURE.earCpu, {}, MATCHING_REFERENCE_VALUES).trustClaims, vector(33, 97, 36))
  })

  test('sample with matching reference values', () => {
    const r = evalClaims(FIXTURE.earCpu, sampleClaims(), MATCHING_REFERENCE_VALUES)
    assertRegoEqual(r.trustClaims, vector(3, 2, 2))
    for (const id of ['launch_digest', 'svn', 'major_version', 'minimum_minor_version']) {
      assert.ok(r.calls.includes(id), `query_reference_value(${id}) was called`)
    }
  })

  test('sample without reference values (host returns null): only configuration passes', () => {
    assertRegoEqual(evalClaims(FIXTURE.earCpu, sampleClaims(), {}).trustClaims, vector(33, 97, 2))
  })

  test('sample with a minor version below the minimum: hardware not recognised', () => {
    const rv = { ...MATCHING_REFERENCE_VALUES, minimum_minor_version: 5 }
    assertRegoEqual(evalClaims(FIXTURE.earCpu, sampleClaims(), rv).trustClaims, vector(3, 97, 2))
  })

  test('snp with matching reference values', () => {
    assertRegoEqual(evalClaims(FIXTURE.earCpu, snpClaims(), MATCHING_REFERENCE_VALUES).trustClaims, vector(3, 2, 2))
  })

  test('snp without configuration reference values: `else := 3`', () => {
    const rv = withoutKeys(MATCHING_REFERENCE_VALUES, ['snp_smt_enabled', 'snp_guest_abi_minor'])
    assertRegoEqual(evalClaims(FIXTURE.earCpu, snpClaims(), rv).trustClaims, vector(3, 2, 3))
  })

  test('snp with no reference values: executables and hardware defaults, configuration 3', () => {
    assertRegoEqual(evalClaims(FIXTURE.earCpu, snpClaims(), {}).trustClaims, vector(33, 97, 3))
  })

  test('snp with debug allowed: configuration 36', () => {
    const claims = snpClaims()
    ;(claims['snp'] as Record<string, unknown>)['policy_debug_allowed'] = true
    assertRegoEqual(evalClaims(FIXTURE.earCpu, claims, MATCHING_REFERENCE_VALUES).trustClaims, vector(3, 2, 36))
  })

  test('snp with an unlisted microcode SVN: hardware 97', () => {
    const rv = { ...MATCHING_REFERENCE_VALUES, snp_microcode: [209, 211] }
    assertRegoEqual(evalClaims(FIXTURE.earCpu, snpClaims(), rv).trustClaims, vector(3, 97, 2))
  })

  test('tdx with matching reference values and the TDVF kernel events', () => {
    const r = evalClaims(FIXTURE.earCpu, tdxClaims(), MATCHING_REFERENCE_VALUES)
    assertRegoEqual(r.trustClaims, vector(3, 2, 2))
    assert.ok(r.calls.includes('tdvfkernel') && r.calls.includes('tdvfkernelparams'))
  })

  test('tdx booted through grub (no kernel events): `else := 4`', () => {
    assertRegoEqual(
      evalClaims(FIXTURE.earCpu, tdxClaims({ kernelEvents: false }), MATCHING_REFERENCE_VALUES).trustClaims,
      vector(4, 2, 2),
    )
  })

  test('tdx with an out-of-date TCB and debug on', () => {
    const claims = tdxClaims({ tcbStatus: 'OutOfDate', debug: true })
    assertRegoEqual(evalClaims(FIXTURE.earCpu, claims, MATCHING_REFERENCE_VALUES).trustClaims, vector(3, 97, 36))
  })

  test('tdx with no reference values', () => {
    assertRegoEqual(evalClaims(FIXTURE.earCpu, tdxClaims(), {}).trustClaims, vector(33, 97, 36))
  })

  test('az-snp-vtpm with matching reference values', () => {
    assertRegoEqual(
      evalClaims(FIXTURE.earCpu, azSnpVtpmClaims(), MATCHING_REFERENCE_VALUES).trustClaims,
      vector(3, 2, 2),
    )
  })

  test('az-snp-vtpm with a wrong PCR11: executables 33', () => {
    const rv = { ...MATCHING_REFERENCE_VALUES, snp_pcr11: ['00'] }
    assertRegoEqual(evalClaims(FIXTURE.earCpu, azSnpVtpmClaims(), rv).trustClaims, vector(33, 2, 2))
  })

  test('se: trusted whenever the verifier emitted claims, no reference value needed', () => {
    const r = evalClaims(FIXTURE.earCpu, seClaims(), {})
    assertRegoEqual(r.trustClaims, vector(3, 2, 2))
    assert.deepEqual(r.calls, [])
  })

  test('the helper rules evaluate individually', () => {
    const host = referenceValueHost(MATCHING_REFERENCE_VALUES)
    const policy = compileFixtures([FIXTURE.earCpu], { hostFunctions: [host.def] })
    const input = fromJS(tdxClaims())
    assert.equal(policy.evalRule('data.policy.executables', { input }), 3)
    assert.equal(policy.evalRule('data.policy.tdx_uefi_event_tdvfkernel_ok', { input }), true)
    assert.equal(policy.evalRule('data.policy.tdx_uefi_event_tdvfkernelparams_ok', { input }), true)
    assert.equal(policy.evalRule('data.policy.file_system', { input }), 0)
  })

  test('an error thrown by the host function fails the evaluation', () => {
    const failing = {
      name: 'query_reference_value',
      arity: 1,
      fn: (): Value => {
        throw new BuiltinError('eval_builtin_error', 'RVPS unreachable')
      },
    }
    const policy = compileFixtures([FIXTURE.earCpu], { hostFunctions: [failing] })
    assert.throws(() => policy.evalRule('data.policy.trust_claims', { input: fromJS(snpClaims()) }), RegoError)
  })
})

describe('AS ear_default_policy_cpu.rego: extensions', () => {
  const host = referenceValueHost(MATCHING_REFERENCE_VALUES)
  const policy = compileFixtures([FIXTURE.earCpu], { hostFunctions: [host.def] })

  test('identifiers from the init-data agent policy claims', () => {
    const input = fromJS({
      ...snpClaims(),
      init_data_claims: {
        agent_policy_claims: {
          containers: [
            {
              OCI: {
                Annotations: { 'io.kubernetes.cri.container-type': 'sandbox' },
                Process: { User: { UID: 65535 } },
              },
            },
            {
              OCI: {
                Annotations: { 'io.kubernetes.cri.image-name': 'quay.io/prometheus/busybox:latest' },
                Process: { User: { UID: 1000 } },
              },
            },
          ],
        },
      },
    })
    assertRegoEqual(policy.evalRule('data.policy.extensions', { input }), [
      {
        name: 'ear.trustee.identifiers',
        key: -18,
        value: {
          validated: {
            container_images: ['quay.io/prometheus/busybox:latest'],
            container_uids: [65535, 1000],
          },
        },
      },
    ])
    assertRegoEqual(policy.evalRule('data.policy.container_images', { input }), ['quay.io/prometheus/busybox:latest'])
  })

  test('no init data: the identifiers are empty (`else := {}`)', () => {
    const input = fromJS(tdxClaims())
    assertRegoEqual(policy.evalRule('data.policy.extensions', { input }), [
      { name: 'ear.trustee.identifiers', key: -18, value: { validated: {} } },
    ])
    assertRegoEqual(policy.evalRule('data.policy.container_images_id', { input }), {})
  })
})

function nvidiaGpuClaims(): Claims {
  const good = { 'x-nvidia-cert-ocsp-status': 'good', 'x-nvidia-cert-status': 'valid' }
  return {
    nvidia: {
      'x-nvidia-gpu-attestation-report-cert-chain': good,
      'x-nvidia-gpu-attestation-report-cert-chain-fwid-match': true,
      'x-nvidia-gpu-attestation-report-parsed': true,
      'x-nvidia-gpu-attestation-report-signature-verified': true,
      'x-nvidia-gpu-arch-check': true,
      'x-nvidia-gpu-vbios-version': '96.00.9F.00.04',
      'x-nvidia-gpu-driver-version': '550.90.07',
      'x-nvidia-gpu-vbios-rim-cert-chain': good,
      'x-nvidia-gpu-driver-rim-fetched': true,
      'x-nvidia-gpu-driver-rim-measurements-available': true,
      'x-nvidia-gpu-driver-rim-schema-validated': true,
      'x-nvidia-gpu-driver-rim-signature-verified': true,
      'x-nvidia-gpu-driver-rim-version-match': true,
      'x-nvidia-gpu-vbios-rim-fetched': true,
      'x-nvidia-gpu-vbios-rim-measurements-available': true,
      'x-nvidia-gpu-vbios-rim-schema-validated': true,
      'x-nvidia-gpu-vbios-rim-signature-verified': true,
      'x-nvidia-gpu-vbios-rim-version-match': true,
      secboot: true,
      dbgstat: 'disabled',
      measres: 'success',
    },
  }
}

const GPU_REFERENCE_VALUES = {
  allowed_vbios_versions: ['96.00.9F.00.04'],
  allowed_driver_versions: ['550.90.07', '550.54.15'],
  allowed_switch_bios_versions: ['96.10.6D.00.01'],
}

describe('AS ear_default_policy_gpu.rego / switch / ppcie', () => {
  test('a GPU verified by NRAS with allowed versions', () => {
    assertRegoEqual(evalClaims(FIXTURE.earGpu, nvidiaGpuClaims(), GPU_REFERENCE_VALUES).trustClaims, vector(3, 2, 2))
  })

  test('a GPU with unlisted versions: configuration `else := 3`', () => {
    assertRegoEqual(evalClaims(FIXTURE.earGpu, nvidiaGpuClaims(), {}).trustClaims, vector(3, 2, 3))
  })

  test('a GPU with a revoked certificate and debug on', () => {
    const claims = nvidiaGpuClaims()
    const nv = claims['nvidia'] as Record<string, unknown>
    nv['x-nvidia-gpu-attestation-report-cert-chain'] = {
      'x-nvidia-cert-ocsp-status': 'revoked',
      'x-nvidia-cert-status': 'valid',
    }
    nv['dbgstat'] = 'enabled'
    assertRegoEqual(evalClaims(FIXTURE.earGpu, claims, GPU_REFERENCE_VALUES).trustClaims, vector(3, 97, 36))
  })

  test('sampledevice hardware comes from data.reference', () => {
    const host = referenceValueHost({})
    const policy = compileFixtures([FIXTURE.earGpu], { hostFunctions: [host.def] })
    const input = fromJS({ sampledevice: { svn: '2' } })
    assertRegoEqual(
      policy.evalRule('data.policy.trust_claims', { input, data: fromJS({ reference: { device_svn: ['1', '2'] } }) }),
      vector(33, 2, 36),
    )
    assertRegoEqual(policy.evalRule('data.policy.trust_claims', { input }), vector(33, 97, 36))
  })

  test('the GPU policy has no extensions rule: "not a valid rule path"', () => {
    const { policy } = evalClaims(FIXTURE.earGpu, nvidiaGpuClaims(), GPU_REFERENCE_VALUES)
    assert.throws(
      () => policy.evalRule('data.policy.extensions', { input: fromJS(nvidiaGpuClaims()) }),
      (e: unknown) =>
        e instanceof RegoError && e.code === 'invalid_argument' && /not a valid rule path/.test(e.message),
    )
  })

  test('an NVSwitch with an allowed BIOS', () => {
    const good = { 'x-nvidia-cert-ocsp-status': 'good', 'x-nvidia-cert-status': 'valid' }
    const claims = {
      nvidia: {
        'x-nvidia-switch-attestation-report-cert-chain': good,
        'x-nvidia-switch-attestation-report-cert-chain-fwid-match': true,
        'x-nvidia-switch-attestation-report-parsed': true,
        'x-nvidia-switch-attestation-report-signature-verified': true,
        'x-nvidia-switch-arch-check': true,
        'x-nvidia-switch-bios-version': '96.10.6D.00.01',
        'x-nvidia-switch-bios-rim-cert-chain': good,
        'x-nvidia-switch-bios-rim-fetched': true,
        'x-nvidia-switch-bios-rim-measurements-available': true,
        'x-nvidia-switch-bios-rim-schema-validated': true,
        'x-nvidia-switch-bios-rim-signature-verified': true,
        'x-nvidia-switch-bios-rim-version-match': true,
        secboot: true,
        dbgstat: 'disabled',
        measres: 'success',
      },
    }
    assertRegoEqual(evalClaims(FIXTURE.earSwitch, claims, GPU_REFERENCE_VALUES).trustClaims, vector(3, 2, 2))
    assertRegoEqual(evalClaims(FIXTURE.earSwitch, claims, {}).trustClaims, vector(3, 2, 3))
  })

  test('ppcie: the fixed defaults', () => {
    assertRegoEqual(evalClaims(FIXTURE.earPpcie, { nvidia: {} }, {}).trustClaims, vector(0, 0, 2))
  })
})
