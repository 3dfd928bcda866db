import { createHash, X509Certificate } from 'node:crypto'
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
  /** The VCEK parsed (the same object for the same bytes while it stays among the recent ones). */
  readonly vcek: X509Certificate
}

/**
 * v2/v1 `{"version":n,"tpm_quote":{hex…},"hcl_report":"<b64url>","vcek":"<b64url DER>"}`;
 * v0 (no version) `{"quote":{byte arrays},"report":[bytes],"vcek":"<PEM>"}`.
 */
export function parseAzSnpEvidence(evidence: unknown): AzSnpEvidence {
  const object = evidenceObject(evidence, TEE)
  const version = object['version']
  if (version === undefined) {
    const vcek = pemCertificate(stringField(object, 'vcek', TEE))
    return {
      version: 0,
      quote: vtpmQuoteFromByteArrays(object['quote'], TEE),
      hclReport: byteArray(object['report'], `${TEE} evidence: report`),
      vcekDer: new Uint8Array(vcek.raw),
      vcek,
    }
  }
  if (version !== 1 && version !== 2) {
    throw new VerificationError('UNSUPPORTED_VERSION', `${TEE} evidence version ${JSON.stringify(version)} (0–2 are)`)
  }
  const vcekDer = base64UrlField(object, 'vcek', TEE)
  return {
    version,
    quote: vtpmQuoteFromHex(object['tpm_quote'], TEE),
    hclReport: base64UrlField(object, 'hcl_report', TEE),
    vcekDer,
    vcek: exactCertificate(vcekDer),
  }
}

/*
 * Parsed VCEKs by their exact encoding (DER bytes, or the v0 PEM text): a chip sends the same VCEK
 * with every quote and parsing it costs about as much as its signature check. Only the parse is
 * remembered; the chain, validity and revocation are checked on every verification. Bounded.
 */
const parsedVceks = new Map<string, X509Certificate>()
const PARSED_VCEKS_MAX = 256

function remembered(id: string, parse: () => X509Certificate): X509Certificate {
  const known = parsedVceks.get(id)
  if (known !== undefined) return known
  const certificate = parse()
  if (parsedVceks.size >= PARSED_VCEKS_MAX) parsedVceks.delete(parsedVceks.keys().next().value ?? '')
  parsedVceks.set(id, certificate)
  return certificate
}

/** Exactly one DER certificate (OpenSSL would ignore trailing bytes). */
function exactCertificate(der: Uint8Array): X509Certificate {
  return remembered(`der:${createHash('sha256').update(der).digest('base64')}`, () => {
    let certificate: X509Certificate
    try {
      certificate = new X509Certificate(der)
    } catch (cause) {
      throw new VerificationError('EVIDENCE_MALFORMED', `${TEE} evidence: vcek is not a DER certificate`, { cause })
    }
    if (!certificate.raw.equals(der)) {
      throw new VerificationError('EVIDENCE_MALFORMED', `${TEE} evidence: vcek has trailing bytes`)
    }
    return certificate
  })
}

export function base64UrlField(object: JsonObject, field: string, tee: string): Uint8Array {
  const text = stringField(object, field, tee)
  if (!BASE64URL.test(text))
    throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence.${field} is not base64url`)
  return new Uint8Array(Buffer.from(text, 'base64url'))
}

function pemCertificate(pem: string): X509Certificate {
  return remembered(`pem:${createHash('sha256').update(pem).digest('base64')}`, () => {
    try {
      return new X509Certificate(pem)
    } catch (cause) {
      throw new VerificationError('EVIDENCE_MALFORMED', `${TEE} evidence: vcek is not a PEM certificate`, { cause })
    }
  })
}
