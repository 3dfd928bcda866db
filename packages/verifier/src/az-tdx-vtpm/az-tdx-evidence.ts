import { base64UrlField, repeatedBase64UrlField, vtpmQuoteObject } from '../az-snp-vtpm/az-snp-evidence.ts'
import { evidenceObject } from '../evidence-json.ts'
import { onlyFields } from '../only-fields.ts'
import { byteArray, vtpmQuoteFromByteArrays, vtpmQuoteFromHex, type VtpmQuote } from '../tpm/vtpm-quote.ts'
import { VerificationError } from '../verifier.ts'

const TEE = 'az-tdx-vtpm'
const FIELDS = new Set(['version', 'tpm_quote', 'hcl_report', 'td_quote'])
const V0_FIELDS = new Set(['tpm_quote', 'hcl_report', 'td_quote'])

/** Azure TDX vTPM evidence of any version, decoded (nothing verified yet). */
export interface AzTdxEvidence {
  readonly version: 0 | 1 | 2
  readonly quote: VtpmQuote
  readonly hclReport: Uint8Array
  readonly tdQuote: Uint8Array
}

/**
 * v2/v1 `{"version":n,"tpm_quote":{hex…},"hcl_report":"<b64url>","td_quote":"<b64url>"}`;
 * v0 (no version) the same names with byte arrays.
 */
export function parseAzTdxEvidence(evidence: unknown): AzTdxEvidence {
  const object = evidenceObject(evidence, TEE)
  const version = object['version']
  if (version === undefined) {
    onlyFields(object, V0_FIELDS, `${TEE} evidence`)
    return {
      version: 0,
      quote: vtpmQuoteFromByteArrays(vtpmQuoteObject(object, 'tpm_quote', TEE), TEE),
      hclReport: byteArray(object['hcl_report'], `${TEE} evidence: hcl_report`),
      tdQuote: byteArray(object['td_quote'], `${TEE} evidence: td_quote`),
    }
  }
  if (version !== 1 && version !== 2) {
    throw new VerificationError('UNSUPPORTED_VERSION', `${TEE} evidence version ${JSON.stringify(version)} (0–2 are)`)
  }
  onlyFields(object, FIELDS, `${TEE} evidence`)
  return {
    version,
    quote: vtpmQuoteFromHex(vtpmQuoteObject(object, 'tpm_quote', TEE), TEE),
    hclReport: repeatedBase64UrlField(object, 'hcl_report', TEE),
    tdQuote: base64UrlField(object, 'td_quote', TEE),
  }
}
