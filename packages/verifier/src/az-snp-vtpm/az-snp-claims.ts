import type { JsonObject } from '@carapace/protocol'
import type { SnpProduct } from '../collateral/collateral-source.ts'
import { decodeTcb } from '../snp/snp-product.ts'
import type { SnpReport } from '../snp/snp-report.ts'

const bit = (value: bigint, n: number): string => String(((value >> BigInt(n)) & 1n) === 1n)
const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64')

/**
 * Upstream's az-snp-vtpm flavour of the SNP claims: the same names as `snp`, but every value a
 * string (numbers and booleans in decimal/`true`/`false`) and the measured fields in standard
 * base64, not hex. `report_data` and `init_data` are replaced by the vTPM's (see the verifier).
 */
export function azSnpClaims(report: SnpReport, product: SnpProduct): JsonObject {
  const tcb = decodeTcb(report.reportedTcb, product)
  return {
    policy_abi_major: String((report.policy >> 8n) & 0xffn),
    policy_abi_minor: String(report.policy & 0xffn),
    policy_smt_allowed: bit(report.policy, 16),
    policy_migrate_ma: bit(report.policy, 18),
    policy_debug_allowed: bit(report.policy, 19),
    policy_single_socket: bit(report.policy, 20),
    reported_tcb_bootloader: String(tcb.bootloader),
    reported_tcb_tee: String(tcb.tee),
    reported_tcb_snp: String(tcb.snp),
    reported_tcb_microcode: String(tcb.microcode),
    platform_tsme_enabled: bit(report.platformInfo, 1),
    platform_smt_enabled: bit(report.platformInfo, 0),
    measurement: b64(report.measurement),
    report_data: b64(report.reportData),
    init_data: b64(report.hostData),
  }
}
