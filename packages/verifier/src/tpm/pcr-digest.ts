import { createHash } from 'node:crypto'
import { ContentCache } from '../content-cache.ts'
import { bytesEqual } from '../evidence-json.ts'
import { VerificationError } from '../verifier.ts'
import { contiguousSpan, pcrsByIndex } from './pcr-values.ts'
import { hex16, TPM_ALG } from './tpm-alg.ts'
import type { TpmsAttestQuote } from './tpms-attest.ts'

/** Digests per exact PCR bytes: a machine quotes the same PCR values until it reboots. */
const digests = new ContentCache<Buffer>(64)

/** SHA-256 over the PCR values in order: the pcrDigest a TPM puts in a quote of one SHA-256 bank. */
export function pcrDigestSha256(values: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(sharedDigest(values))
}

/** The digest, possibly the remembered one itself (only compared, never handed out). */
function sharedDigest(values: readonly Uint8Array[]): Uint8Array {
  const span = contiguousSpan(values)
  if (span !== undefined) return digests.get(span, 'sha256', () => createHash('sha256').update(span).digest())
  const hash = createHash('sha256')
  for (const value of values) hash.update(value)
  return hash.digest()
}

/**
 * Binds the PCR values that came beside a quote to the quote: the quote must select one SHA-256
 * bank, `values` hold the selected PCRs in ascending order, and their SHA-256 is the quoted
 * pcrDigest (`POLICY_VIOLATION` otherwise). Returns the values by PCR index.
 */
export function checkPcrDigest(quote: TpmsAttestQuote, values: readonly Uint8Array[]): ReadonlyMap<number, Uint8Array> {
  const bank = quote.pcrSelect[0]
  if (bank === undefined || quote.pcrSelect.length > 1 || bank.hash !== TPM_ALG.SHA256) {
    const banks = quote.pcrSelect.map((b) => hex16(b.hash)).join(', ')
    throw new VerificationError(
      'POLICY_VIOLATION',
      `TPM quote: expected one SHA-256 PCR bank, the quote selects [${banks}]`,
    )
  }
  if (bank.pcrs.length !== values.length) {
    throw new VerificationError(
      'POLICY_VIOLATION',
      `TPM quote selects ${String(bank.pcrs.length)} PCRs, the evidence carries ${String(values.length)} values`,
    )
  }
  if (!bytesEqual(sharedDigest(values), quote.pcrDigest)) {
    throw new VerificationError('POLICY_VIOLATION', 'TPM quote: the PCR values do not hash to the quoted pcrDigest')
  }
  return pcrsByIndex(values, bank.pcrs)
}
