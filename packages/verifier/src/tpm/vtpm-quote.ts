import { verify, type KeyObject } from 'node:crypto'
import { isJsonObject, type JsonObject } from '@carapace/protocol'
import { bytesEqual } from '../evidence-json.ts'
import { VerificationError } from '../verifier.ts'
import { checkPcrDigest } from './pcr-digest.ts'
import { pcrValuesFromHex } from './pcr-values.ts'
import { parseTpmsAttestQuote, type TpmsAttestQuote } from './tpms-attest.ts'

/** An Azure vTPM quote: the raw RSA signature (not a TPMT_SIGNATURE), the TPMS_ATTEST, the SHA-256 PCRs. */
export interface VtpmQuote {
  readonly signature: Uint8Array
  readonly message: Uint8Array
  readonly pcrs: readonly Uint8Array[]
}

/** Evidence v1/v2 `tpm_quote`: `{"signature":hex,"message":hex,"pcrs":[hex…]}`. */
export function vtpmQuoteFromHex(value: unknown, tee: string): VtpmQuote {
  if (!isJsonObject(value))
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence: tpm_quote is not an object`)
  return {
    signature: hexField(value, 'signature', tee),
    message: hexField(value, 'message', tee),
    pcrs: pcrValuesFromHex(value, 'pcrs', `${tee} tpm_quote`),
  }
}

/** Evidence v0 quote: the same fields as JSON byte arrays (the serde form of the Rust struct). */
export function vtpmQuoteFromByteArrays(value: unknown, tee: string): VtpmQuote {
  if (!isJsonObject(value)) throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence: quote is not an object`)
  const pcrs = value['pcrs']
  if (!Array.isArray(pcrs) || pcrs.length > 64) {
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence: quote.pcrs is not a list`)
  }
  return {
    signature: byteArray(value['signature'], `${tee} quote.signature`),
    message: byteArray(value['message'], `${tee} quote.message`),
    pcrs: pcrs.map((pcr, i) => {
      const bytes = byteArray(pcr, `${tee} quote.pcrs[${String(i)}]`)
      if (bytes.length !== 32) {
        throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence: quote.pcrs[${String(i)}] is not 32 bytes`)
      }
      return bytes
    }),
  }
}

/** A JSON array of integers 0–255 as bytes. */
export function byteArray(value: unknown, what: string): Uint8Array {
  if (
    !Array.isArray(value) ||
    !value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)
  ) {
    throw new VerificationError('EVIDENCE_MALFORMED', `${what} is not a byte array`)
  }
  return new Uint8Array(value as number[])
}

function hexField(object: JsonObject, field: string, tee: string): Uint8Array {
  const value = object[field]
  if (typeof value !== 'string') {
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence: tpm_quote.${field} is not hex`)
  }
  const bytes = Buffer.from(value, 'hex')
  // Only lower-case hex (what the attesters write) re-encodes to itself: one native pass, one spelling.
  if (bytes.toString('hex') !== value) {
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence: tpm_quote.${field} is not lower-case hex`)
  }
  return new Uint8Array(bytes)
}

export interface CheckedVtpmQuote {
  readonly attest: TpmsAttestQuote
  readonly pcrs: ReadonlyMap<number, Uint8Array>
}

/**
 * The checks of an Azure vTPM quote, in upstream's order: RSASSA-PKCS1-v1_5 SHA-256 signature by
 * the HCL attestation key (`SIGNATURE_INVALID`), extraData == the expected report data exactly
 * (`REPORT_DATA_MISMATCH`; Azure attesters quote the digest itself, no padding), PCR digest
 * (`POLICY_VIOLATION`).
 */
export function checkVtpmQuote(
  quote: VtpmQuote,
  ak: KeyObject,
  expectedReportData: Uint8Array | undefined,
): CheckedVtpmQuote {
  const attest = parseTpmsAttestQuote(quote.message)
  if (ak.asymmetricKeyType !== 'rsa' || !verify('sha256', quote.message, ak, quote.signature)) {
    throw new VerificationError('SIGNATURE_INVALID', 'vTPM quote is not signed by the HCL attestation key')
  }
  if (expectedReportData !== undefined && !bytesEqual(attest.extraData, expectedReportData)) {
    throw new VerificationError('REPORT_DATA_MISMATCH', 'vTPM quote nonce is not the expected report data')
  }
  return { attest, pcrs: checkPcrDigest(attest, quote.pcrs) }
}
