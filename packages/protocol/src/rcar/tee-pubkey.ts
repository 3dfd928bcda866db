import { expectObject, expectString, malformed } from './wire-fields.ts'

/**
 * The TEE's public key as carried on the wire (named `Wire…` because `tee-key/` owns the
 * validated `TeePubKey`, which narrows these to supported curves/algorithms and is assignable
 * here). A JWK subset (kbs-types `WireTeePubKey`, serde-tagged by `kty`). Curve and
 * algorithm are free strings on the wire; the JWE layer decides which combinations it supports
 * (guests send EC P-256 or P-521 with `ECDH-ES+A256KW`, RSA with `RSA-OAEP-256`, AKP with
 * `ML-KEM-768+A192KW`).
 */
export type WireTeePubKey = WireEcTeePubKey | WireRsaTeePubKey | WireAkpTeePubKey

export interface WireEcTeePubKey {
  kty: 'EC'
  crv: string
  alg: string
  /** base64url, fixed length per curve (32 bytes for P-256, 66 for P-521). */
  x: string
  y: string
}

export interface WireRsaTeePubKey {
  kty: 'RSA'
  alg: string
  /** Modulus, base64url big-endian. */
  n: string
  /** Public exponent, base64url big-endian. */
  e: string
}

/** Experimental post-quantum key (Trustee feature `pqc-experimental`). */
export interface WireAkpTeePubKey {
  kty: 'AKP'
  alg: string
  /** base64url of the encapsulation key. */
  pub: string
}

/** Reads a `tee-pubkey`; unknown JWK members are dropped, as the KBS does before hashing. */
export function parseTeePubKey(input: unknown, field = 'tee-pubkey'): WireTeePubKey {
  const jwk = expectObject(input, field)
  const kty = expectString(jwk['kty'], `${field}.kty`)
  const member = (name: string): string => expectString(jwk[name], `${field}.${name}`)
  switch (kty) {
    case 'EC':
      return { kty, crv: member('crv'), alg: member('alg'), x: member('x'), y: member('y') }
    case 'RSA':
      return { kty, alg: member('alg'), n: member('n'), e: member('e') }
    case 'AKP':
      return { kty, alg: member('alg'), pub: member('pub') }
    default:
      throw malformed(`${field}.kty`, `unknown key type ${JSON.stringify(kty)} (expected EC, RSA or AKP)`)
  }
}

/** A fresh object with only the known members, in upstream's serialisation order (`kty` first). */
export function teePubKeyToWire(key: WireTeePubKey): WireTeePubKey {
  switch (key.kty) {
    case 'EC':
      return { kty: 'EC', crv: key.crv, alg: key.alg, x: key.x, y: key.y }
    case 'RSA':
      return { kty: 'RSA', alg: key.alg, n: key.n, e: key.e }
    case 'AKP':
      return { kty: 'AKP', alg: key.alg, pub: key.pub }
  }
}
