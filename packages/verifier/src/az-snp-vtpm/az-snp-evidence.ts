import { X509Certificate } from 'node:crypto'
import type { JsonObject } from '@carapace/protocol'
import { evidenceObject, stringField } from '../evidence-json.ts'
import { byteArray, vtpmQuoteFromByteArrays, vtpmQuoteFromHex, type VtpmQuote } from '../tpm/vtpm-quote.ts'
import { VerificationError } from '../verifier.ts'

const TEE = 'az-snp-vtpm'
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/

/** Azure SNP vTPM evidence of any version, decoded (nothing verified yet). */
export interface AzSnpEvidence {
  readonly version: 0 | 1 | 2
  readonly quote: VtpmQuote
  readonly hclReport: Uint8Array
  readonly vcekDer: Uint8Array
}

/**
 * v2/v1 `{"version":n,"tpm_quote":{hex…},"hcl_report":"<b64url>","vcek":"<b64url DER>"}`;
 * v0 (no version) `{"quote":{byte arrays},"report":[bytes],"vcek":"<PEM>"}`.
 */
export function parseAzSnpEvidence(evidence: unknown): AzSnpEvidence {
  const object = evidenceObject(evidence, TEE)
  const version = object['version']
  if (version === undefined) {
    return {
      version: 0,
      quote: vtpmQuoteFromByteArrays(object['quote'], TEE),
      hclReport: byteArray(object['report'], `${TEE} evidence: report`),
      vcekDer: pemCertificate(stringField(object, 'vcek', TEE)),
    }
  }
  if (version !== 1 && version !== 2) {
    throw new VerificationError('UNSUPPORTED_VERSION', `${TEE} evidence version ${JSON.stringify(version)} (0–2 are)`)
  }
  return {
    version,
    quote: vtpmQuoteFromHex(object['tpm_quote'], TEE),
    hclReport: base64UrlField(object, 'hcl_report', TEE),
    vcekDer: exactCertificate(base64UrlField(object, 'vcek', TEE)),
  }
}

/** The DER of exactly one certificate (OpenSSL would ignore trailing bytes). */
function exactCertificate(der: Uint8Array): Uint8Array {
  let raw: Buffer
  try {
    raw = new X509Certificate(der).raw
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', `${TEE} evidence: vcek is not a DER certificate`, { cause })
  }
  if (!raw.equals(der)) throw new VerificationError('EVIDENCE_MALFORMED', `${TEE} evidence: vcek has trailing bytes`)
  return der
}

export function base64UrlField(object: JsonObject, field: string, tee: string): Uint8Array {
  const text = stringField(object, field, tee)
  if (!BASE64URL.test(text))
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence.${field} is not base64url`)
  return new Uint8Array(Buffer.from(text, 'base64url'))
}

function pemCertificate(pem: string): Uint8Array {
  try {
    return new Uint8Array(new X509Certificate(pem).raw)
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', `${TEE} evidence: vcek is not a PEM certificate`, { cause })
  }
}
