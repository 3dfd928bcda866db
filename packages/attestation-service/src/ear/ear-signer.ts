import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { AttestationServiceError } from '../errors.ts'

/** The JWK put in every token header (`jwk`), with the certificate chain when configured. */
export interface EarPublicJwk {
  readonly kty: 'EC'
  readonly crv: 'P-256'
  readonly alg: 'ES256'
  readonly x: string
  readonly y: string
  readonly x5c?: readonly string[]
  readonly x5u?: string
}

export interface EarSignerOptions {
  /** A P-256 EC private key, PEM (PKCS#8 or SEC1). Absent: an ephemeral key is generated. */
  readonly keyPem?: string
  /** DER certificates, leaf first, put in the header as `x5c` (standard base64). */
  readonly certChainDer?: readonly Uint8Array[]
  /** `x5u` of the header. */
  readonly certUrl?: string
}

export interface EarSigner {
  readonly jwk: EarPublicJwk
  /** ES256 signature (raw r‖s, 64 bytes) over the signing input. */
  sign(data: Uint8Array): Uint8Array
}

export function createEarSigner(options: EarSignerOptions = {}): EarSigner {
  let key: KeyObject
  if (options.keyPem === undefined) {
    // Generated as PEM text and imported: a key object from generateKeyPairSync can deadlock
    // Node 20 when a garbage collection during its JWK export finalizes the generation job.
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    })
    key = createPrivateKey(privateKey)
  } else {
    try {
      key = createPrivateKey(options.keyPem)
    } catch (cause) {
      throw new AttestationServiceError('SIGNER_INVALID', 'token signing key is not a PEM private key', { cause })
    }
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new AttestationServiceError('SIGNER_INVALID', 'token signing key must be a P-256 EC key')
  }
  const exported = key.export({ format: 'jwk' })
  if (typeof exported.x !== 'string' || typeof exported.y !== 'string') {
    throw new AttestationServiceError('SIGNER_INVALID', 'token signing key has no public point')
  }
  const jwk: EarPublicJwk = {
    kty: 'EC',
    crv: 'P-256',
    alg: 'ES256',
    x: exported.x,
    y: exported.y,
    ...(options.certChainDer === undefined
      ? {}
      : { x5c: options.certChainDer.map((der) => Buffer.from(der).toString('base64')) }),
    ...(options.certUrl === undefined ? {} : { x5u: options.certUrl }),
  }
  return {
    jwk,
    sign: (data) => new Uint8Array(sign('sha256', data, { key, dsaEncoding: 'ieee-p1363' })),
  }
}
