import type { SnpProduct, SnpTcb } from '../collateral/collateral-source.ts'
import { VerificationError } from '../verifier.ts'
import type { SnpReport } from './snp-report.ts'

/** The processor generation from the report's CPUID family and model (version 3+ reports). */
export function snpProduct(report: Pick<SnpReport, 'cpuidFamId' | 'cpuidModId'>): SnpProduct {
  const family = report.cpuidFamId
  const model = report.cpuidModId
  if (family === 0x19) {
    if (model <= 0x0f) return 'Milan'
    if ((model >= 0x10 && model <= 0x1f) || (model >= 0xa0 && model <= 0xaf)) return 'Genoa'
  }
  if (family === 0x1a && model <= 0x11) return 'Turin'
  throw new VerificationError(
    'UNSUPPORTED_VERSION',
    `SNP report CPUID family 0x${family.toString(16)} model 0x${model.toString(16)} is not Milan, Genoa or Turin`,
  )
}

/** A TCB_VERSION's fields; Turin moved them and added the FMC SPL. */
export function decodeTcb(raw: Uint8Array, product: SnpProduct): SnpTcb {
  const at = (i: number): number => raw[i] as number
  if (product === 'Turin') return { fmc: at(0), bootloader: at(1), tee: at(2), snp: at(3), microcode: at(7) }
  return { bootloader: at(0), tee: at(1), snp: at(6), microcode: at(7) }
}

/** The inverse of `decodeTcb` (reserved bytes zero). */
export function encodeTcb(tcb: SnpTcb, product: SnpProduct): Uint8Array {
  const raw = new Uint8Array(8)
  if (product === 'Turin') {
    raw.set([tcb.fmc ?? 0, tcb.bootloader, tcb.tee, tcb.snp])
  } else {
    raw.set([tcb.bootloader, tcb.tee])
    raw[6] = tcb.snp
  }
  raw[7] = tcb.microcode
  return raw
}

/** The KDS hardware id of a chip: CHIP_ID, or its first 8 bytes on Turin. */
export function kdsHwid(report: Pick<SnpReport, 'chipId'>, product: SnpProduct): Uint8Array {
  return product === 'Turin' ? report.chipId.slice(0, 8) : report.chipId
}
