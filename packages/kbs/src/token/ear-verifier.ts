import { X509Certificate, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto'
import { errors as joseErrors, jwtVerify, type JWK } from 'jose'
import { KbsError } from '../http/errors.ts'
import type { TokenVerifier } from './token-verifier.ts'
import { verifyEs256Jwt } from './verify-es256-jwt.ts'
import { tokenHeader } from './token-header.ts'

export interface EarVerifierOptions {
  /** PEM text of trusted certificates (bundles allowed): anchors for the header's `x5c` chain. */
  readonly trustedCertsPem: readonly string[]
  /** Trust whatever JWK the token header carries (`insecure_header_jwk`): development only. */
  readonly insecureHeaderJwk: boolean
  readonly now?: () => Date
}

const LEEWAY_SECONDS = 60
const TRUSTED_KEY_CACHE_SIZE = 32
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/**
 * §1.7: the signing key is the header `jwk`; it is trusted either outright (insecure flag) or
 * through a non-empty `x5c` chain whose leaf carries that key and which ends at a trusted
 * certificate. The algorithm is the JWK's `alg`; `exp` is required (60 s leeway), `aud` ignored.
 * Only EC P-256 and RSA keys. `kid` lookups in trusted JWK sets are not supported yet.
 */
export function createEarVerifier(options: EarVerifierOptions): TokenVerifier {
  const anchors = options.trustedCertsPem.flatMap((pem) =>
    (pem.match(PEM_CERT) ?? []).map((c) => new X509Certificate(c)),
  )
  if (anchors.length === 0 && !options.insecureHeaderJwk) {
    throw new KbsError(
      'TOKEN_VERIFIER',
      'no trusted certificates and insecure_header_jwk is false: no token can verify',
    )
  }
  const now = options.now ?? (() => new Date())
  // Importing the header key and checking its chain cost more than the signature itself, and
  // every token of one AS carries the same header: both are done once per distinct jwk + x5c.
  // Only successes are kept; validity periods are still checked against `now` on every token.
  const cache = new Map<string, TrustedKey>()
  const trustedKey = (jwk: JWK, x5c: readonly string[] | undefined): TrustedKey => {
    const id = JSON.stringify([jwk, x5c ?? null])
    const hit = cache.get(id)
    if (hit !== undefined) return hit
    const key = importHeaderKey(jwk)
    const entry: TrustedKey = options.insecureHeaderJwk ? { key } : { key, chain: verifyChain(x5c, key, anchors) }
    if (cache.size >= TRUSTED_KEY_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
    cache.set(id, entry)
    return entry
  }
  return {
    async verify(token) {
      const header = tokenHeader(token)
      const jwk = header.jwk
      if (jwk === undefined)
        throw new KbsError('TOKEN_VERIFIER', 'attestation token header has no jwk (kid lookup unsupported)')
      const alg = jwk.alg
      if (typeof alg !== 'string') throw new KbsError('TOKEN_VERIFIER', 'the header jwk has no alg')
      if (!(jwk.kty === 'RSA' || (jwk.kty === 'EC' && jwk.crv === 'P-256'))) {
        throw new KbsError('TOKEN_VERIFIER', 'only RSA and EC P-256 token keys are supported')
      }
      const { key, chain } = trustedKey(jwk, header.x5c)
      if (chain !== undefined) checkValidity(chain, now())
      if (alg === 'ES256' && jwk.kty === 'EC')
        return verifyEs256Jwt(token, key, { leewaySeconds: LEEWAY_SECONDS, now: now() })
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [alg],
          requiredClaims: ['exp'],
          clockTolerance: LEEWAY_SECONDS,
          currentDate: now(),
        })
        return payload
      } catch (cause) {
        const detail = cause instanceof joseErrors.JOSEError ? cause.code : 'invalid token'
        throw new KbsError('TOKEN_VERIFIER', `attestation token rejected: ${detail}`, { cause })
      }
    },
  }
}

interface TrustedKey {
  readonly key: KeyObject
  /** The x5c chain, checked up to a trusted anchor (absent with insecure_header_jwk). */
  readonly chain?: readonly X509Certificate[]
}

function importHeaderKey(jwk: JWK): KeyObject {
  try {
    return createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
  } catch (cause) {
    throw new KbsError('TOKEN_VERIFIER', 'the header jwk is not a valid public key', { cause })
  }
}

function verifyChain(
  x5c: readonly string[] | undefined,
  key: KeyObject,
  anchors: readonly X509Certificate[],
): X509Certificate[] {
  if (x5c === undefined || x5c.length === 0) {
    throw new KbsError('TOKEN_VERIFIER', 'the token key is not trusted: no x5c chain and insecure_header_jwk is false')
  }
  let chain: X509Certificate[]
  try {
    chain = x5c.map((der) => new X509Certificate(Buffer.from(der, 'base64')))
  } catch (cause) {
    throw new KbsError('TOKEN_VERIFIER', 'x5c holds an invalid certificate', { cause })
  }
  const [leaf] = chain
  if (leaf === undefined || !leaf.publicKey.equals(key)) {
    throw new KbsError('TOKEN_VERIFIER', 'the x5c leaf certificate does not carry the header jwk')
  }
  for (let i = 0; i + 1 < chain.length; i += 1) {
    const cert = chain[i]
    const issuer = chain[i + 1]
    if (cert === undefined || issuer === undefined || !cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) {
      throw new KbsError('TOKEN_VERIFIER', 'the x5c chain is broken')
    }
  }
  const top = chain[chain.length - 1] ?? leaf
  const trusted = anchors.some(
    (anchor) =>
      anchor.fingerprint256 === top.fingerprint256 || (top.checkIssued(anchor) && top.verify(anchor.publicKey)),
  )
  if (!trusted) throw new KbsError('TOKEN_VERIFIER', 'the x5c chain does not end at a trusted certificate')
  return chain
}

function checkValidity(chain: readonly X509Certificate[], now: Date): void {
  for (const cert of chain) {
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo)) {
      throw new KbsError('TOKEN_VERIFIER', `certificate ${cert.subject} is not valid now`)
    }
  }
}
