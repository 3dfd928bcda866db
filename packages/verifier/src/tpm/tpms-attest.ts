import { VerificationError } from '../verifier.ts'
import { TpmReader, TpmWriter } from './tpm-reader.ts'

/** TPM_GENERATED_VALUE: only the TPM itself signs structures that start with it. */
export const TPM_GENERATED_VALUE = 0xff544347
/** TPM_ST_ATTEST_QUOTE. */
export const TPM_ST_ATTEST_QUOTE = 0x8018

/** One bank of a TPML_PCR_SELECTION: a hash algorithm and the PCR indices selected in it (ascending). */
export interface PcrSelection {
  readonly hash: number
  readonly pcrs: readonly number[]
  /** sizeofSelect: the bitmap length in bytes (3 for the 24 PCRs of a PC client TPM). */
  readonly sizeOfSelect: number
}

export interface TpmsClockInfo {
  readonly clock: bigint
  readonly resetCount: number
  readonly restartCount: number
  readonly safe: boolean
}

/** A TPMS_ATTEST of type quote (TPM 2.0 Part 2, 10.12.12 with TPMS_QUOTE_INFO). */
export interface TpmsAttestQuote {
  readonly qualifiedSigner: Uint8Array
  /** The caller's qualifying data: the nonce the quote is bound to. */
  readonly extraData: Uint8Array
  readonly clockInfo: TpmsClockInfo
  readonly firmwareVersion: bigint
  readonly pcrSelect: readonly PcrSelection[]
  /** Digest (with the signing scheme's hash) of the selected PCR values in selection order. */
  readonly pcrDigest: Uint8Array
}

const MAX_BANKS = 16
const MAX_SIZE_OF_SELECT = 32

/** Parses the exact bytes a TPM signed for TPM2_Quote; anything else is `EVIDENCE_MALFORMED`. */
export function parseTpmsAttestQuote(bytes: Uint8Array): TpmsAttestQuote {
  const r = new TpmReader(bytes, 'TPMS_ATTEST')
  const magic = r.u32('magic')
  if (magic !== TPM_GENERATED_VALUE) {
    throw new VerificationError('EVIDENCE_MALFORMED', `TPMS_ATTEST: magic 0x${magic.toString(16)} is not TPM_GENERATED`)
  }
  const type = r.u16('type')
  if (type !== TPM_ST_ATTEST_QUOTE) {
    throw new VerificationError('EVIDENCE_MALFORMED', `TPMS_ATTEST: type 0x${type.toString(16)} is not a quote`)
  }
  const qualifiedSigner = r.tpm2b('qualifiedSigner')
  const extraData = r.tpm2b('extraData')
  const clockInfo: TpmsClockInfo = {
    clock: r.u64('clockInfo.clock'),
    resetCount: r.u32('clockInfo.resetCount'),
    restartCount: r.u32('clockInfo.restartCount'),
    safe: r.u8('clockInfo.safe') !== 0,
  }
  const firmwareVersion = r.u64('firmwareVersion')
  const count = r.u32('pcrSelect.count')
  if (count > MAX_BANKS) {
    throw new VerificationError('EVIDENCE_MALFORMED', `TPMS_ATTEST: ${String(count)} PCR banks selected`)
  }
  const pcrSelect: PcrSelection[] = []
  for (let bank = 0; bank < count; bank++) {
    const hash = r.u16('pcrSelections.hash')
    const sizeOfSelect = r.u8('pcrSelections.sizeofSelect')
    if (sizeOfSelect > MAX_SIZE_OF_SELECT) {
      throw new VerificationError('EVIDENCE_MALFORMED', `TPMS_ATTEST: sizeofSelect ${String(sizeOfSelect)} too large`)
    }
    const bitmap = r.bytes(sizeOfSelect, 'pcrSelections.pcrSelect')
    const pcrs: number[] = []
    for (let i = 0; i < sizeOfSelect * 8; i++) if ((bitmap[i >> 3] ?? 0) & (1 << (i & 7))) pcrs.push(i)
    pcrSelect.push({ hash, pcrs, sizeOfSelect })
  }
  const pcrDigest = r.tpm2b('pcrDigest')
  r.end()
  return { qualifiedSigner, extraData, clockInfo, firmwareVersion, pcrSelect, pcrDigest }
}

/** The wire form of a quote's TPMS_ATTEST (what a TPM signs); the inverse of `parseTpmsAttestQuote`. */
export function marshalTpmsAttestQuote(quote: TpmsAttestQuote): Uint8Array {
  const w = new TpmWriter()
    .u32(TPM_GENERATED_VALUE)
    .u16(TPM_ST_ATTEST_QUOTE)
    .tpm2b(quote.qualifiedSigner)
    .tpm2b(quote.extraData)
    .u64(quote.clockInfo.clock)
    .u32(quote.clockInfo.resetCount)
    .u32(quote.clockInfo.restartCount)
    .u8(quote.clockInfo.safe ? 1 : 0)
    .u64(quote.firmwareVersion)
    .u32(quote.pcrSelect.length)
  for (const bank of quote.pcrSelect) {
    const bitmap = new Uint8Array(bank.sizeOfSelect)
    for (const pcr of bank.pcrs) bitmap[pcr >> 3] = (bitmap[pcr >> 3] ?? 0) | (1 << (pcr & 7))
    w.u16(bank.hash).u8(bank.sizeOfSelect).bytes(bitmap)
  }
  return w.tpm2b(quote.pcrDigest).finish()
}
