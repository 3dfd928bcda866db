import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CollateralError } from './collateral-error.ts'
import type { CollateralSource, SnpTcb } from './collateral-source.ts'

/** Where upstream's AS looks when `vcek_sources` names an `OfflineStore` without a `path`. */
export const DEFAULT_OFFLINE_STORE_PATH = '/opt/confidential-containers/attestation-service/kds-store'

function twoDigits(value: number): string {
  return String(value).padStart(2, '0')
}

/** `bl04_tee00_snp24_ucode219` (Turin: `_fmc00` appended): the TCB part of a VCEK file name. */
export function offlineStoreTcbPrefix(tcb: SnpTcb): string {
  const prefix = `bl${twoDigits(tcb.bootloader)}_tee${twoDigits(tcb.tee)}_snp${twoDigits(tcb.snp)}_ucode${twoDigits(tcb.microcode)}`
  return tcb.fmc === undefined ? prefix : `${prefix}_fmc${twoDigits(tcb.fmc)}`
}

/** The files that may hold a chip's VCEK, most specific first. */
export function offlineStoreVcekPaths(root: string, hwid: Uint8Array, tcb: SnpTcb): string[] {
  const dir = join(root, 'vcek', Buffer.from(hwid).toString('hex'))
  return [join(dir, `${offlineStoreTcbPrefix(tcb)}_vcek.der`), join(dir, 'vcek.der')]
}

/**
 * Upstream's SNP `OfflineStore` VCEK source: `<root>/vcek/<hwid lowercase hex>/<tcb>_vcek.der`, else
 * the flat `<root>/vcek/<hwid>/vcek.der` (a VCEK for another TCB than reported is then refused by
 * the verifier's TCB check). Only VCEKs: the ASK/ARK come from the evidence, another source or the
 * pinned roots. Files are read on every request, so a store updated in place is seen at once.
 */
export function createOfflineStoreCollateral(root: string = DEFAULT_OFFLINE_STORE_PATH): CollateralSource {
  return {
    async get(request) {
      if (request.kind !== 'amd-vcek') return undefined
      for (const path of offlineStoreVcekPaths(root, request.hwid, request.tcb)) {
        try {
          return { body: new Uint8Array(await readFile(path)) }
        } catch (cause) {
          const code = (cause as NodeJS.ErrnoException).code
          if (code === 'ENOENT' || code === 'ENOTDIR') continue
          throw new CollateralError('IO_ERROR', `cannot read ${path}`, { cause })
        }
      }
      return undefined
    },
  }
}
