import { createHash, createPrivateKey, generateKeyPairSync, sign, type JsonWebKey, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { CborMap, CborTagged, decodeCbor, encodeCbor, type CborValue } from './cbor.ts'
import { sigStructure } from './cose-sign1.ts'
import { parseTrustAnchorStore, type CcaTrustAnchor } from './trust-anchors.ts'

/*
 * CCA test tokens: upstream's synthetic example token (fixed challenge) and the same token with
 * claims replaced and re-signed with upstream's test CPAK/RAK private keys, so that tests can bind
 * it to any report data and init data.
 */

const FIXTURES = new URL('../../fixtures/cca/', import.meta.url)
const fixture = (name: string): Buffer => readFileSync(new URL(name, FIXTURES))

export const exampleToken = (): Uint8Array => new Uint8Array(fixture('cca-example-token.cbor'))
export const testTrustAnchors = (): CcaTrustAnchor[] => parseTrustAnchorStore(fixture('tastore.json').toString('utf8'))
const privateJwk = (name: string): KeyObject =>
  createPrivateKey({ key: JSON.parse(fixture(name).toString('utf8')) as JsonWebKey, format: 'jwk' })
export const testCpak = (): KeyObject => privateJwk('cpak-priv.json')
export const testRak = (): KeyObject => privateJwk('rak-priv.json')
export const otherP384Key = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey

/** The JSON evidence the attester sends. */
export const ccaEvidence = (token: Uint8Array): { token: number[] } => ({ token: Array.from(token) })

export interface TokenEdits {
  /** Realm claims to set (key → value). */
  readonly realm?: ReadonlyMap<number, CborValue>
  /** Platform claims to set. */
  readonly platform?: ReadonlyMap<number, CborValue>
  readonly cpak?: KeyObject
  readonly rak?: KeyObject
  /** Put this key's point in the realm public key and its hash in the platform challenge (before the edits above). */
  readonly claimedRak?: KeyObject
}

function withClaims(payload: Uint8Array, edits: ReadonlyMap<number, CborValue> | undefined): Uint8Array {
  const map = decodeCbor(payload) as CborMap
  const entries = map.entries.map(
    ([k, v]) => [k, typeof k === 'number' && edits?.has(k) ? (edits.get(k) ?? null) : v] as const,
  )
  return encodeCbor(new CborMap(entries))
}

function signed(cose: Uint8Array, payload: Uint8Array, key: KeyObject): Uint8Array {
  const [protectedHeader, unprotected] = (decodeCbor(cose) as CborTagged).value as CborValue[]
  const header = protectedHeader as Uint8Array
  const signature = sign('sha384', sigStructure(header, payload), { key, dsaEncoding: 'ieee-p1363' })
  return encodeCbor(new CborTagged(18, [header, unprotected ?? new CborMap([]), payload, new Uint8Array(signature)]))
}

function point(key: KeyObject): Uint8Array {
  const jwk = key.export({ format: 'jwk' })
  return new Uint8Array(
    Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]),
  )
}

/** The example token with `edits` applied, both tokens re-signed. */
export function resignedToken(edits: TokenEdits = {}): Uint8Array {
  const collection = decodeCbor(exampleToken()) as CborTagged
  const map = collection.value as CborMap
  const platformCose = map.get(44234) as Uint8Array
  const realmCose = map.get(44241) as Uint8Array
  const realmEdits = new Map<number, CborValue>()
  const platformEdits = new Map<number, CborValue>()
  if (edits.claimedRak !== undefined) {
    const raw = point(edits.claimedRak)
    realmEdits.set(44237, raw)
    realmEdits.set(44240, 'sha-256')
    platformEdits.set(10, new Uint8Array(createHash('sha256').update(raw).digest()))
  }
  edits.realm?.forEach((v, k) => realmEdits.set(k, v))
  edits.platform?.forEach((v, k) => platformEdits.set(k, v))
  const payloadOf = (cose: Uint8Array): Uint8Array =>
    ((decodeCbor(cose) as CborTagged).value as CborValue[])[2] as Uint8Array
  const realm = signed(realmCose, withClaims(payloadOf(realmCose), realmEdits), edits.rak ?? testRak())
  const platform = signed(platformCose, withClaims(payloadOf(platformCose), platformEdits), edits.cpak ?? testCpak())
  return encodeCbor(
    new CborTagged(
      399,
      new CborMap([
        [44234, platform],
        [44241, realm],
      ]),
    ),
  )
}

/** Zero-padded to 64 bytes. */
export function pad64(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(64)
  out.set(bytes)
  return out
}
