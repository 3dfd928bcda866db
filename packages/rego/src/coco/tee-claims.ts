import { createHash } from 'node:crypto'

/**
 * Flattened TCB claims as Trustee's verifiers produce them: the Attestation Service's policy
 * `input`, and the `ear.veraison.annotated-evidence` of an EAR token the KBS sees. The shapes
 * follow the verifiers (see reference/kbs-and-attestation-service.md §2.3): `snp` has hex strings,
 * numbers and booleans; `az-snp-vtpm` has base64 measurement and decimal-string TCB fields plus
 * `tpm.pcrNN`; `tdx` has the parsed quote, `td_attributes`, collateral status and the CCEL
 * `uefi_event_logs`. Digests are derived from labels so that tests and reference values agree.
 */

export type Claims = Record<string, unknown>

/** A stable fake SHA-384 digest (96 hex chars) for a label. */
export function digest384(label: string): string {
  return createHash('sha384').update(label).digest('hex')
}

/** A stable fake SHA-256 digest (64 hex chars) for a label. */
export function digest256(label: string): string {
  return createHash('sha256').update(label).digest('hex')
}

const REPORT_DATA = digest384('report-data') + '0'.repeat(32)

const RUNTIME_DATA_CLAIMS = {
  'tee-pubkey': {
    kty: 'EC',
    crv: 'P-256',
    alg: 'ES256',
    x: 'dK9m2BpvNHLbVBxA5xSZuITN3XQl4e2rgtmw0hEdHHk',
    y: '4U1kRkhydEu7JmDGLJ6bvcm_UX4Y_hNRBRuLNmH-Vf4',
  },
  nonce: 'LxMNT0cMkXSoBCqDqYkh9yTSTI+3xMS+Sy4g7eKjP9U=',
}

/** The sample attester (no hardware). */
export function sampleClaims(): Claims {
  return {
    sample: {
      svn: '1',
      launch_digest: 'abcde',
      platform_version: { major: 1, minor: 4 },
      debug: false,
      productId: 'n',
      report_data: REPORT_DATA,
    },
    report_data: REPORT_DATA,
    runtime_data_claims: RUNTIME_DATA_CLAIMS,
  }
}

/** AMD SEV-SNP (bare metal). */
export function snpClaims(): Claims {
  return {
    snp: {
      measurement: digest384('snp-measurement'),
      report_data: REPORT_DATA,
      init_data: digest256('snp-host-data'),
      chip_id: digest384('chip') + digest384('id').slice(0, 32),
      policy_abi_major: 0,
      policy_abi_minor: 31,
      policy_smt_allowed: true,
      policy_migrate_ma: false,
      policy_debug_allowed: false,
      policy_single_socket: false,
      reported_tcb_bootloader: 4,
      reported_tcb_tee: 0,
      reported_tcb_snp: 22,
      reported_tcb_microcode: 213,
      platform_tsme_enabled: false,
      platform_smt_enabled: true,
    },
    report_data: REPORT_DATA,
    init_data: digest256('snp-host-data'),
    runtime_data_claims: RUNTIME_DATA_CLAIMS,
  }
}

interface TdxOptions {
  /** Include the TDVF kernel and kernel-params events in the CCEL (direct kernel boot). Default true. */
  readonly kernelEvents?: boolean
  readonly debug?: boolean
  readonly tcbStatus?: string
}

/** Intel TDX, with a CCEL event log. */
export function tdxClaims(options: TdxOptions = {}): Claims {
  const events: Claims[] = [
    {
      index: 0,
      type_name: 'EV_NO_ACTION',
      digests: [],
      details: {},
    },
  ]
  if (options.kernelEvents ?? true) {
    events.push(
      {
        index: 7,
        type_name: 'EV_EFI_BOOT_SERVICES_APPLICATION',
        digests: [{ alg: 'SHA-384', digest: digest384('tdvf-kernel') }],
        details: { device_paths: ['PciRoot(0x0)/Pci(0x1,0x0)', 'File(kernel)'] },
      },
      {
        index: 8,
        type_name: 'EV_EVENT_TAG',
        digests: [{ alg: 'SHA-384', digest: digest384('tdvf-kernel-params') }],
        details: { string: 'LOADED_IMAGE::LoadOptions' },
      },
    )
  }
  return {
    tdx: {
      quote: {
        header: {
          version: '0400',
          att_key_type: '0200',
          tee_type: '81000000',
          reserved: '00000000',
          vendor_id: '939a7233f79c4ca9940a0db3957f0607',
          user_data: 'd099bfec0a477aa85a605dceabf2b10800000000',
        },
        body: {
          tcb_svn: '05010200000000000000000000000000',
          mr_seam: digest384('mr-seam'),
          mrsigner_seam: '0'.repeat(96),
          seam_attributes: '0000000000000000',
          td_attributes: '0000001000000000',
          xfam: 'e702060000000000',
          mr_td: digest384('mr-td'),
          mr_config_id: '0'.repeat(96),
          mr_owner: '0'.repeat(96),
          mr_owner_config: '0'.repeat(96),
          rtmr_0: digest384('rtmr-0'),
          rtmr_1: digest384('rtmr-1'),
          rtmr_2: digest384('rtmr-2'),
          rtmr_3: '0'.repeat(96),
          report_data: REPORT_DATA,
        },
      },
      td_attributes: {
        debug: options.debug ?? false,
        septve_disable: true,
        protection_keys: false,
        key_locker: false,
        perfmon: false,
      },
      uefi_event_logs: events,
      tcb_status: options.tcbStatus ?? 'UpToDate',
      tcb_date: '2024-03-13T00:00:00Z',
      advisory_ids: [],
      collateral_expiration_status: '0',
    },
    report_data: REPORT_DATA,
    init_data: '0'.repeat(96),
    runtime_data_claims: RUNTIME_DATA_CLAIMS,
  }
}

/** Azure confidential VM, SEV-SNP with a vTPM: SNP fields as strings, measurement in base64. */
export function azSnpVtpmClaims(): Claims {
  return {
    'az-snp-vtpm': {
      measurement: Buffer.from(digest384('az-measurement'), 'hex').toString('base64'),
      report_data: digest384('tpm-nonce'),
      init_data: digest256('pcr8'),
      policy_abi_major: '0',
      policy_abi_minor: '31',
      policy_smt_allowed: '1',
      policy_migrate_ma: '0',
      policy_debug_allowed: '0',
      policy_single_socket: '0',
      reported_tcb_bootloader: '4',
      reported_tcb_tee: '0',
      reported_tcb_snp: '22',
      reported_tcb_microcode: '213',
      platform_tsme_enabled: '0',
      platform_smt_enabled: '1',
      tpm: { pcr08: digest256('pcr8'), pcr11: digest256('pcr11') },
    },
    report_data: digest384('tpm-nonce'),
    init_data: digest256('pcr8'),
    runtime_data_claims: RUNTIME_DATA_CLAIMS,
  }
}

/** IBM Secure Execution: the verifier only emits claims when verification succeeded. */
export function seClaims(): Claims {
  return {
    se: { version: '256', cuid: digest256('cuid').slice(0, 32), image_phkh: digest256('phkh'), user_data: '00' },
    report_data: REPORT_DATA,
  }
}

/**
 * Reference values (RVPS ids → values) under which each builder's claims are fully trusted by
 * `ear_default_policy_cpu.rego`. Arrays for `in` checks, scalars for `==`/`>=` checks.
 */
export const MATCHING_REFERENCE_VALUES: Readonly<Record<string, unknown>> = {
  // sample
  launch_digest: ['abcde'],
  svn: ['1'],
  major_version: 1,
  minimum_minor_version: 2,
  // snp
  snp_launch_measurement: [digest384('snp-measurement')],
  snp_bootloader: [3, 4],
  snp_microcode: [213],
  snp_snp_svn: [22],
  snp_tee_svn: [0],
  snp_smt_enabled: true,
  snp_tsme_enabled: false,
  snp_guest_abi_major: 0,
  snp_guest_abi_minor: 31,
  snp_single_socket: false,
  snp_smt_allowed: true,
  // tdx
  rtmr_1: [digest384('rtmr-1')],
  rtmr_2: [digest384('rtmr-2')],
  tdvfkernel: digest384('tdvf-kernel'),
  tdvfkernelparams: digest384('tdvf-kernel-params'),
  mr_td: [digest384('mr-td')],
  xfam: ['e702060000000000'],
  // az-snp-vtpm
  measurement: [Buffer.from(digest384('az-measurement'), 'hex').toString('base64')],
  snp_pcr11: [digest256('pcr11')],
  tcb_bootloader: ['4'],
  tcb_microcode: ['213'],
  tcb_snp: ['22'],
  tcb_tee: ['0'],
  smt_enabled: ['1'],
  tsme_enabled: ['0'],
  abi_major: ['0'],
  abi_minor: ['31'],
  single_socket: ['0'],
  smt_allowed: ['1'],
}
