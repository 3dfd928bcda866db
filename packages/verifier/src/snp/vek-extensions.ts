import type { SnpTcb } from '../collateral/collateral-source.ts'
import { certificateExtensions, type CertificateInput } from '../pkix/certificate.ts'
import { derOctetString, derSmallInteger, readDer } from '../pkix/der.ts'
import { VerificationError } from '../verifier.ts'

/**
 * The AMD extensions of a VCEK/VLEK certificate (VCEK spec §3): the SPL values the key was derived
 * for (1.3.6.1.4.1.3704.1.3.{1,2,3,8,9}) as DER INTEGERs and, for a VCEK, the hardware id
 * (1.3.6.1.4.1.3704.1.4) — raw bytes in older certificates, a DER OCTET STRING in newer ones.
 */

export interface VekExtensions {
  readonly tcb: Readonly<Record<keyof SnpTcb, number | undefined>>
  readonly hwid: Uint8Array | undefined
}

const AMD = '1.3.6.1.4.1.3704.1'
const CODE = 'CERT_CHAIN_INVALID'

function splValue(value: Uint8Array | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const spl = derSmallInteger(readDer(value, CODE))
  if (spl < 0 || spl > 255) throw new VerificationError(CODE, `VCEK/VLEK certificate: ${name} SPL out of range`)
  return spl
}

function hwidValue(value: Uint8Array | undefined): Uint8Array | undefined {
  if (value === undefined) return undefined
  // Older VCEKs carry the id itself; newer wrap it in an OCTET STRING (04 40 … / 04 08 …).
  if (value.length === 64 || value.length === 8) return value
  return derOctetString(readDer(value, CODE))
}

export function vekExtensions(certificate: CertificateInput): VekExtensions {
  const extensions = certificateExtensions(certificate, CODE)
  const get = (suffix: string): Uint8Array | undefined => extensions.get(`${AMD}.${suffix}`)?.value
  return {
    tcb: {
      bootloader: splValue(get('3.1'), 'bootloader'),
      tee: splValue(get('3.2'), 'TEE'),
      snp: splValue(get('3.3'), 'SNP'),
      microcode: splValue(get('3.8'), 'microcode'),
      fmc: splValue(get('3.9'), 'FMC'),
    },
    hwid: hwidValue(get('4')),
  }
}
