import { createPublicKey, type KeyObject } from 'node:crypto'
import { isJsonObject, type JsonObject } from '@carapace/protocol'
import { base64Field, evidenceObject, stringField } from '../evidence-json.ts'
import { onlyFields } from '../only-fields.ts'
import { VerificationError } from '../verifier.ts'
import { pcrValuesFromHex } from './pcr-values.ts'
import { parseTpmsAttestQuote, type TpmsAttestQuote } from './tpms-attest.ts'
import { parseTpmtSignature, type TpmtSignature } from './tpmt-signature.ts'

const TEE = 'tpm'
/** Upstream's `Evidence` and `Quote` fields (tpm/mod.rs); nothing signs the JSON, so nothing else is taken. */
const FIELDS: ReadonlySet<string> = new Set(['ak_public', 'tpm_quote'])
const QUOTE_FIELDS: ReadonlySet<string> = new Set(['signature', 'message', 'pcrs'])

/** The guest `tpm` attester's evidence, decoded and parsed (nothing verified yet). */
export interface TpmEvidence {
  /** `ak_public` as sent: standard base64 of the AK's DER SubjectPublicKeyInfo. */
  readonly akPublicBase64: string
  readonly ak: KeyObject
  /** The TPMS_ATTEST bytes the AK signed. */
  readonly message: Uint8Array
  readonly attest: TpmsAttestQuote
  readonly signature: TpmtSignature
  readonly pcrs: readonly Uint8Array[]
}

/**
 * Imported AKs by the exact `ak_public` text: decoding, importing and re-encoding a key costs more
 * than the quote signature. Only text that passed every check below is ever stored.
 */
const importedAks = new Map<string, KeyObject>()
const IMPORTED_AKS_MAX = 256

function akPublicKey(object: JsonObject): KeyObject {
  const text = stringField(object, 'ak_public', TEE)
  const known = importedAks.get(text)
  if (known !== undefined) return known
  const akDer = base64Field(object, 'ak_public', TEE)
  let ak: KeyObject
  try {
    ak = createPublicKey({ key: Buffer.from(akDer), format: 'der', type: 'spki' })
  } catch (cause) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'tpm evidence: ak_public is not a DER public key', { cause })
  }
  // The claim `ak_public` is matched against reference values, so only the exact encoding is accepted
  // (OpenSSL would ignore trailing bytes, giving one key many spellings).
  if (!ak.export({ format: 'der', type: 'spki' }).equals(akDer)) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'tpm evidence: ak_public is not exactly one DER public key')
  }
  if (importedAks.size >= IMPORTED_AKS_MAX) importedAks.delete(importedAks.keys().next().value ?? '')
  importedAks.set(text, ak)
  return ak
}

/**
 * `{"ak_public":"<b64 DER SPKI>","tpm_quote":{"signature":"<b64 TPMT_SIGNATURE>",
 * "message":"<b64 TPMS_ATTEST>","pcrs":["<hex>"×24]}}`; any deviation is `EVIDENCE_MALFORMED`.
 */
export function parseTpmEvidence(evidence: unknown): TpmEvidence {
  const object = evidenceObject(evidence, TEE)
  onlyFields(object, FIELDS, `${TEE} evidence`)
  const ak = akPublicKey(object)
  const quote = object['tpm_quote']
  if (!isJsonObject(quote))
    throw new VerificationError('EVIDENCE_MALFORMED', 'tpm evidence: tpm_quote is not an object')
  onlyFields(quote, QUOTE_FIELDS, `${TEE} evidence.tpm_quote`)
  const message = base64Field(quote, 'message', `${TEE} tpm_quote`)
  return {
    akPublicBase64: stringField(object, 'ak_public', TEE),
    ak,
    message,
    attest: parseTpmsAttestQuote(message),
    signature: parseTpmtSignature(base64Field(quote, 'signature', `${TEE} tpm_quote`)),
    pcrs: pcrValuesFromHex(quote, 'pcrs', `${TEE} tpm_quote`),
  }
}
