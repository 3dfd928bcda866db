import type { KeyObject } from 'node:crypto'
import type { FlattenedJWE, GeneralJWE } from 'jose'
import type { KeyUnwrapper, KeyWrapper } from './key-wrapper.ts'
import { JWE_KEY_ALGORITHMS } from './key-material.ts'
import type { JweKeyAlgorithm, ParsedKey } from './key-material.ts'
import { OcicryptError } from './ocicrypt-error.ts'

// ocicrypt's JWE scheme (spec §3): payload = privopts JSON, content encryption always A256GCM,
// one flattened JWE for one recipient, one general JWE for several.

const CONTENT_ENCRYPTION = 'A256GCM'
const CONTENT_ALGORITHMS = ['A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM']
const EC_CURVES = new Set(['prime256v1', 'secp384r1', 'secp521r1'])

// Loaded on first use: images without JWE recipients never need jose.
let jose: Promise<typeof import('jose')> | undefined
const joseModule = (): Promise<typeof import('jose')> => (jose ??= import('jose'))

/** ocicrypt's choice: RSA → RSA-OAEP (SHA-1), EC → ECDH-ES+A256KW, a JWK's own `alg` wins. */
function wrapAlgorithm(recipient: ParsedKey): JweKeyAlgorithm {
  if (recipient.alg !== undefined) return recipient.alg
  const type = recipient.key.asymmetricKeyType
  if (type === 'rsa') return 'RSA-OAEP'
  if (type === 'ec' && EC_CURVES.has(recipient.key.asymmetricKeyDetails?.namedCurve ?? '')) return 'ECDH-ES+A256KW'
  throw new OcicryptError('INVALID_KEY', `unsupported JWE recipient key type ${type ?? 'unknown'}`)
}

/** Wraps for every recipient in ONE JWE; no recipients → no output (as ocicrypt). */
export function jweKeyWrapper(recipients: readonly ParsedKey[]): KeyWrapper {
  const planned = recipients.map((r) => ({ key: r.key, alg: wrapAlgorithm(r) }))
  return {
    scheme: 'jwe',
    async wrapKey(optsData: Uint8Array): Promise<Uint8Array | undefined> {
      const [first] = planned
      if (first === undefined) return undefined
      const { FlattenedEncrypt, GeneralEncrypt } = await joseModule()
      let jwe: FlattenedJWE | GeneralJWE
      if (planned.length === 1) {
        jwe = await new FlattenedEncrypt(optsData)
          .setProtectedHeader({ alg: first.alg, enc: CONTENT_ENCRYPTION })
          .encrypt(first.key)
      } else {
        const general = new GeneralEncrypt(optsData).setProtectedHeader({ enc: CONTENT_ENCRYPTION })
        for (const r of planned) general.addRecipient(r.key).setUnprotectedHeader({ alg: r.alg })
        jwe = await general.encrypt()
      }
      return Buffer.from(JSON.stringify(jwe))
    },
  }
}

interface JweShape {
  jwe: FlattenedJWE | GeneralJWE
  general: boolean
  /** `alg` of every recipient (protected, shared unprotected and per-recipient headers merged). */
  algorithms: string[]
}

function str(o: Record<string, unknown>, k: string): boolean {
  return typeof o[k] === 'string'
}

function decodeHeader(segment: string): Record<string, unknown> {
  try {
    const header: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
    if (typeof header === 'object' && header !== null && !Array.isArray(header))
      return header as Record<string, unknown>
  } catch {
    // reported below
  }
  throw new OcicryptError('MALFORMED_ANNOTATION', 'JWE protected header is not base64url JSON')
}

function parseJwe(entry: Uint8Array): JweShape {
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(entry).toString('utf8'))
  } catch (cause) {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'JWE key entry is not JSON', { cause })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'JWE key entry is not a JSON object')
  }
  const o = value as Record<string, unknown>
  if (!str(o, 'ciphertext') || !str(o, 'iv') || !str(o, 'tag') || !str(o, 'protected')) {
    throw new OcicryptError('MALFORMED_ANNOTATION', 'JWE key entry lacks protected/iv/ciphertext/tag')
  }
  const shared = { ...decodeHeader(o['protected'] as string), ...asRecord(o['unprotected']) }
  const recipients = o['recipients']
  if (recipients !== undefined) {
    if (!Array.isArray(recipients) || recipients.length === 0) {
      throw new OcicryptError('MALFORMED_ANNOTATION', 'JWE recipients is not a non-empty array')
    }
    const algorithms = recipients.map((r: unknown) => algOf({ ...shared, ...asRecord(asRecord(r)['header']) }))
    // go-jose also writes a redundant top-level encrypted_key; the recipients are what count
    const general: Record<string, unknown> = { ...o }
    delete general['encrypted_key']
    delete general['header']
    return { jwe: general as unknown as GeneralJWE, general: true, algorithms }
  }
  return {
    jwe: o as unknown as FlattenedJWE,
    general: false,
    algorithms: [algOf({ ...shared, ...asRecord(o['header']) })],
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function algOf(header: Record<string, unknown>): string {
  const alg = header['alg']
  return typeof alg === 'string' ? alg : ''
}

function keyFits(key: KeyObject, alg: string): boolean {
  if (alg.startsWith('RSA-OAEP')) return key.asymmetricKeyType === 'rsa'
  if (alg.startsWith('ECDH-ES')) return key.asymmetricKeyType === 'ec' || key.asymmetricKeyType === 'x25519'
  return false
}

/** Tries every private key on a JWE entry; "not mine" when none opens it. */
export function jweKeyUnwrapper(privateKeys: readonly ParsedKey[]): KeyUnwrapper {
  return {
    scheme: 'jwe',
    async unwrapKey(entry: Uint8Array): Promise<Uint8Array | undefined> {
      const shape = parseJwe(entry)
      const usable = shape.algorithms.filter((a) => (JWE_KEY_ALGORITHMS as readonly string[]).includes(a))
      if (usable.length === 0) {
        throw new OcicryptError('UNSUPPORTED_CIPHER', `JWE key algorithm ${shape.algorithms.join(', ')} not supported`)
      }
      const { flattenedDecrypt, generalDecrypt } = await joseModule()
      const options = {
        keyManagementAlgorithms: [...JWE_KEY_ALGORITHMS],
        contentEncryptionAlgorithms: CONTENT_ALGORITHMS,
      }
      for (const { key, alg } of privateKeys) {
        if (!usable.some((a) => keyFits(key, a) && (alg === undefined || alg === a))) continue
        try {
          const result = shape.general
            ? await generalDecrypt(shape.jwe as GeneralJWE, key, options)
            : await flattenedDecrypt(shape.jwe as FlattenedJWE, key, options)
          return result.plaintext
        } catch {
          // this key is not a recipient (or the JWE is damaged for it): try the next one
        }
      }
      return undefined
    },
  }
}
