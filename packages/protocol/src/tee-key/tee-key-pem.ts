import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { ProtocolError } from '../errors.ts'
import { MAX_RSA_MODULUS_BITS, MIN_RSA_MODULUS_BITS } from './tee-pubkey.ts'
import type { TeeKeyPair } from './tee-key-pair.ts'

/**
 * PEM of the private key as the AA's `GetToken` reply carries it in `tee_keypair`: PKCS#1
 * (`RSA PRIVATE KEY`) for RSA, PKCS#8 (`PRIVATE KEY`) for EC.
 */
export function teeKeyPairToPem(pair: TeeKeyPair): string {
  if (pair.kty === 'RSA') return pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
  return pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
}

/**
 * Parses a `tee_keypair` PEM in guest-components' order: PKCS#1 RSA first, then PKCS#8 EC P-256
 * or P-521. Other encodings (SEC1 `EC PRIVATE KEY`, PKCS#8 RSA, encrypted keys) are refused as
 * upstream refuses them.
 */
export function teeKeyPairFromPem(pem: string): TeeKeyPair {
  const label = /^\s*-----BEGIN ([A-Z ]+)-----/.exec(pem)?.[1]
  if (label === 'RSA PRIVATE KEY') {
    const privateKey = parse(pem, 'pkcs1')
    const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0
    if (privateKey.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_MODULUS_BITS || bits > MAX_RSA_MODULUS_BITS) {
      throw new ProtocolError('MALFORMED', `tee_keypair RSA key must have a 2048 to 16384 bit modulus (got ${bits})`)
    }
    return { kty: 'RSA', privateKey, publicKey: createPublicKey(privateKey) }
  }
  if (label === 'PRIVATE KEY') {
    const privateKey = parse(pem, 'pkcs8')
    if (privateKey.asymmetricKeyType !== 'ec') {
      throw new ProtocolError('UNSUPPORTED_ALGORITHM', 'tee_keypair PKCS#8 key must be an EC key (P-256 or P-521)')
    }
    const named = privateKey.asymmetricKeyDetails?.namedCurve
    const curve = named === 'prime256v1' ? 'P-256' : named === 'secp521r1' ? 'P-521' : undefined
    if (curve === undefined) {
      throw new ProtocolError(
        'UNSUPPORTED_ALGORITHM',
        `tee_keypair EC curve ${named ?? '(unknown)'} is not P-256 or P-521`,
      )
    }
    return { kty: 'EC', curve, privateKey, publicKey: createPublicKey(privateKey) }
  }
  throw new ProtocolError('MALFORMED', 'tee_keypair must be a PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE KEY" PEM')
}

function parse(pem: string, type: 'pkcs1' | 'pkcs8'): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem', type })
  } catch (cause) {
    throw new ProtocolError('MALFORMED', `tee_keypair is not a valid ${type.toUpperCase()} private key`, { cause })
  }
}
