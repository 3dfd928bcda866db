import type { JsonObject } from '@carapace/protocol'
import type { SnpProduct } from '../collateral/collateral-source.ts'
import { decodeTcb } from './snp-product.ts'
import type { SnpReport } from './snp-report.ts'

const bit = (value: bigint, n: number): boolean => ((value >> BigInt(n)) & 1n) === 1n
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** Upstream's SNP claims: policy and platform bits, reported TCB, and the measured fields in hex. */
export function snpClaims(report: SnpReport, product: SnpProduct): JsonObject {
  const tcb = decodeTcb(report.reportedTcb, product)
  return {
    policy_abi_major: Number((report.policy >> 8n) & 0xffn),
    policy_abi_minor: Number(report.policy & 0xffn),
    policy_smt_allowed: bit(report.policy, 16),
    policy_migrate_ma: bit(report.policy, 18),
    policy_debug_allowed: bit(report.policy, 19),
    policy_single_socket: bit(report.policy, 20),
    reported_tcb_bootloader: tcb.bootloader,
    reported_tcb_tee: tcb.tee,
    reported_tcb_snp: tcb.snp,
    reported_tcb_microcode: tcb.microcode,
    platform_tsme_enabled: bit(report.platformInfo, 1),
    platform_smt_enabled: bit(report.platformInfo, 0),
    measurement: hex(report.measurement),
    report_data: hex(report.reportData),
    init_data: hex(report.hostData),
    chip_id: hex(report.chipId),
  }
}
