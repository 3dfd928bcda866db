import { createHash, X509Certificate } from 'node:crypto'
import { isJsonObject, type JsonObject, type JsonValue } from '@carapace/protocol'
import { evidenceObject, stringField } from '../evidence-json.ts'
import { onlyFields } from '../only-fields.ts'
import { byteArray, vtpmQuoteFromByteArrays, vtpmQuoteFromHex, type VtpmQuote } from '../tpm/vtpm-quote.ts'
import { VerificationError } from '../verifier.ts'

const TEE = 'az-snp-vtpm'
const FIELDS = new Set(['version', 'tpm_quote', 'hcl_report', 'vcek'])
const V0_FIELDS = new Set(['quote', 'report', 'vcek'])
const QUOTE_FIELDS = new Set(['signature', 'message', 'pcrs'])

/**
 * The TPM quote object of any version, with no field besides signature, message and pcrs. Its hex
 * (v1/v2) must be lower case as the attester writes it (`vtpmQuoteFromHex` refuses any other case:
 * the same bytes in a second accepted text).
 */
export function vtpmQuoteObject(object: JsonObject, field: string, tee: string): JsonValue | undefined {
  const quote = object[field]
  if (!isJsonObject(quote)) return quote
  onlyFields(quote, QUOTE_FIELDS, `${tee} evidence.${field}`)
  return quote
}

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
    onlyFields(object, V0_FIELDS, `${TEE} evidence`)
    const vcek = pemCertificate(stringField(object, 'vcek', TEE))
    return {
      version: 0,
      quote: vtpmQuoteFromByteArrays(vtpmQuoteObject(object, 'quote', TEE), TEE),
      hclReport: byteArray(object['report'], `${TEE} evidence: report`),
      vcekDer: new Uint8Array(vcek.raw),
      vcek,
    }
  }
  if (version !== 1 && version !== 2) {
    throw new VerificationError('UNSUPPORTED_VERSION', `${TEE} evidence version ${JSON.stringify(version)} (0–2 are)`)
  }
  onlyFields(object, FIELDS, `${TEE} evidence`)
  const vcekDer = base64UrlField(object, 'vcek', TEE)
  return {
    version,
    quote: vtpmQuoteFromHex(vtpmQuoteObject(object, 'tpm_quote', TEE), TEE),
    hclReport: repeatedBase64UrlField(object, 'hcl_report', TEE),
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

/** The padding that completes unpadded base64url of this length modulo 4 (1 cannot occur). */
const FULL_PADDING = ['', '===', '==', '=']

const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/**
 * True only for canonical base64url, unpadded or fully padded, that decoded to `decodedLength` bytes,
 * settled without re-encoding kilobytes: Node's decoder skips or stops at anything outside its
 * alphabet, so floor(6n/8) bytes from the n characters before the padding means all of them were
 * decoded; its alphabet also takes `+` and `/`, refused here; the bits after the last byte must be
 * zero. False means "not settled", never "invalid".
 */
export function decodedCanonicallyUrl(text: string, decodedLength: number): boolean {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  const length = text.length - padding
  const tail = length % 4
  if ((padding > 0 && text.length % 4 !== 0) || tail === 1) return false
  if (decodedLength !== Math.floor((length * 6) / 8)) return false
  if (text.includes('+') || text.includes('/')) return false
  if (tail === 0) return true
  const last = URL_ALPHABET.indexOf(text.charAt(length - 1))
  return last >= 0 && (last & (tail === 2 ? 15 : 3)) === 0
}

/**
 * A required string field holding base64url in a canonical form (checked by re-encoding: no other
 * alphabet, zero bits after the last byte), with its full padding (as real evidence has it) or none
 * (as Node writes it), so one byte string has at most those two texts.
 */
export function base64UrlField(object: JsonObject, field: string, tee: string): Uint8Array {
  const text = stringField(object, field, tee)
  const bytes = Buffer.from(text, 'base64url')
  if (!decodedCanonicallyUrl(text, bytes.length)) {
    const body = bytes.toString('base64url')
    // Whole-string equality (a native compare); `startsWith` on kilobytes of text costs several µs.
    if (text !== body && text !== body + (FULL_PADDING[body.length % 4] ?? ''))
      throw new VerificationError('EVIDENCE_MALFORMED', `${tee} evidence.${field} is not canonical base64url`)
  }
  // A buffer of its own is viewed; a small one from Buffer's shared pool is copied (see base64Field).
  const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length
  return own ? new Uint8Array(bytes.buffer, 0, bytes.length) : new Uint8Array(bytes)
}

/** Per `tee.field`: the last text that decoded and its bytes. */
const lastDecoded = new Map<string, { readonly text: string; readonly bytes: Uint8Array }>()

/**
 * `base64UrlField` for a field a machine repeats in every evidence (the HCL report of evidence v0/v1,
 * written once per boot): the same text as last time gives the same bytes without decoding again (a
 * string compare costs far less than decoding and re-encoding kilobytes). The bytes are shared, so
 * callers only read them.
 */
export function repeatedBase64UrlField(object: JsonObject, field: string, tee: string): Uint8Array {
  const key = `${tee}.${field}`
  const text = object[field]
  const last = lastDecoded.get(key)
  if (last !== undefined && last.text === text) return last.bytes
  const bytes = base64UrlField(object, field, tee)
  lastDecoded.set(key, { text: text as string, bytes })
  return bytes
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
