import { createHash } from 'node:crypto'
import { SignatureError } from './signature-error.ts'
import { isRecord, parseStrictJson } from './strict-json.ts'

/** `critical.type` of GPG simple-signing payloads. */
export const SIMPLE_SIGNING_TYPE = 'atomic container signature'
/** `critical.type` of sigstore (cosign) payloads. */
export const SIGSTORE_PAYLOAD_TYPE = 'cosign container image signature'

/** What a signature payload claims. */
export interface SignaturePayload {
  readonly type: string
  /** `critical.identity.docker-reference`, as written (not normalized). */
  readonly dockerReference: string
  /** `critical.image.docker-manifest-digest`. */
  readonly manifestDigest: string
  readonly creator?: string
  readonly timestamp?: number
}

const DIGEST = /^(sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128})$/

function bad(message: string): SignatureError {
  return new SignatureError('INVALID_PAYLOAD', `invalid signature payload: ${message}`)
}

function exactFields(v: unknown, fields: readonly string[], where: string): Record<string, unknown> {
  if (!isRecord(v)) throw bad(`${where} is not a JSON object`)
  for (const key of Object.keys(v)) if (!fields.includes(key)) throw bad(`${where}: Unknown key ${JSON.stringify(key)}`)
  for (const key of fields) if (!(key in v)) throw bad(`${where}: Key ${JSON.stringify(key)} missing`)
  return v
}

function stringField(obj: Record<string, unknown>, key: string, where: string): string {
  const v = obj[key]
  if (typeof v !== 'string') throw bad(`${where}.${key} is not a string`)
  return v
}

/**
 * Parses a simple-signing or sigstore payload with containers/image's strictness: exactly
 * `critical` + `optional` at the top, exactly `type`/`image`/`identity` in `critical`, one member in
 * each of those; `optional` null or an object whose `creator` is a string and `timestamp` an integer.
 * Call only after the cryptographic signature over these bytes has verified.
 */
export function parseSignaturePayload(bytes: Uint8Array, expectedType: string): SignaturePayload {
  const text = Buffer.from(bytes).toString('utf8')
  const root = exactFields(
    parseStrictJson(text, 'INVALID_PAYLOAD', 'invalid signature payload'),
    ['critical', 'optional'],
    'payload',
  )
  const critical = exactFields(root.critical, ['type', 'image', 'identity'], 'critical')
  const type = stringField(critical, 'type', 'critical')
  if (type !== expectedType) throw bad(`Unrecognized signature type ${type}`)
  const image = exactFields(critical.image, ['docker-manifest-digest'], 'critical.image')
  const manifestDigest = stringField(image, 'docker-manifest-digest', 'critical.image')
  if (!DIGEST.test(manifestDigest)) throw bad(`invalid docker-manifest-digest ${JSON.stringify(manifestDigest)}`)
  const identity = exactFields(critical.identity, ['docker-reference'], 'critical.identity')
  const dockerReference = stringField(identity, 'docker-reference', 'critical.identity')
  let creator: string | undefined
  let timestamp: number | undefined
  if (root.optional !== null) {
    if (!isRecord(root.optional)) throw bad('optional is not a JSON object')
    if ('creator' in root.optional) creator = stringField(root.optional, 'creator', 'optional')
    if ('timestamp' in root.optional) {
      const t = root.optional.timestamp
      if (typeof t !== 'number' || !Number.isSafeInteger(t)) throw bad('Field optional.timestamp is not an integer')
      timestamp = t
    }
  }
  return {
    type,
    dockerReference,
    manifestDigest,
    ...(creator === undefined ? {} : { creator }),
    ...(timestamp === undefined ? {} : { timestamp }),
  }
}

/** Whether the raw manifest bytes have this digest (sha256/sha384/sha512). */
export function manifestMatchesDigest(manifest: Uint8Array, digest: string): boolean {
  const colon = digest.indexOf(':')
  const algorithm = digest.slice(0, colon)
  if (!['sha256', 'sha384', 'sha512'].includes(algorithm)) return false
  return createHash(algorithm).update(manifest).digest('hex') === digest.slice(colon + 1)
}

/**
 * Serializes a payload the way containers/image does (Go struct order: identity, image, type;
 * `optional` with creator and timestamp, or null when neither is given).
 */
export function serializeSignaturePayload(payload: SignaturePayload): Buffer {
  const optional =
    payload.creator === undefined && payload.timestamp === undefined
      ? null
      : {
          ...(payload.creator === undefined ? {} : { creator: payload.creator }),
          ...(payload.timestamp === undefined ? {} : { timestamp: payload.timestamp }),
        }
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': payload.dockerReference },
        image: { 'docker-manifest-digest': payload.manifestDigest },
        type: payload.type,
      },
      optional,
    }),
  )
}
