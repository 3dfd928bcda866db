import { createPrivateKey, scryptSync, type KeyObject } from 'node:crypto'
import { xsalsa20poly1305 } from '@noble/ciphers/salsa.js'
import { SignatureError } from './signature-error.ts'
import { isRecord, parseStrictJson } from './strict-json.ts'

const ENCRYPTED_LABELS = ['ENCRYPTED COSIGN PRIVATE KEY', 'ENCRYPTED SIGSTORE PRIVATE KEY']
const PEM = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/
// Bounds on the scrypt cost a key file may ask for (cosign writes N=32768 or 65536, r=8, p=1).
const MAX_N = 1 << 20
const MAX_R = 32
const MAX_P = 16

function invalidKey(message: string, cause?: unknown): SignatureError {
  return new SignatureError('INVALID_KEY', `signing key: ${message}`, cause === undefined ? undefined : { cause })
}

function b64(v: unknown, where: string): Buffer {
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) throw invalidKey(`${where} is not base64`)
  return Buffer.from(v, 'base64')
}

/**
 * Reads a signing key: `ENCRYPTED COSIGN PRIVATE KEY` / `ENCRYPTED SIGSTORE PRIVATE KEY` (cosign and
 * `skopeo generate-sigstore-key`: scrypt → nacl secretbox → PKCS#8 DER) with its passphrase, or a
 * plain PEM private key (PKCS#8 `PRIVATE KEY`, `EC PRIVATE KEY`, `RSA PRIVATE KEY`).
 */
export function readSigningKey(pem: string | Uint8Array, passphrase?: string | Uint8Array): KeyObject {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('utf8')
  const block = PEM.exec(text)
  if (block === null) throw invalidKey('no PEM block found')
  const label = block[1] as string
  if (!ENCRYPTED_LABELS.includes(label)) {
    try {
      return createPrivateKey({ key: block[0], format: 'pem' })
    } catch (e) {
      throw invalidKey(`${label}: ${(e as Error).message}`, e)
    }
  }
  if (passphrase === undefined) throw invalidKey(`${label} needs a passphrase`)
  const envelope = parseStrictJson(
    b64(block[2]?.replace(/\s+/g, ''), 'PEM body').toString('utf8'),
    'INVALID_KEY',
    'signing key',
  )
  if (!isRecord(envelope) || !isRecord(envelope.kdf) || !isRecord(envelope.cipher))
    throw invalidKey('malformed envelope')
  const { kdf, cipher } = envelope
  if (kdf.name !== 'scrypt' || !isRecord(kdf.params)) throw invalidKey(`unsupported kdf ${JSON.stringify(kdf.name)}`)
  if (cipher.name !== 'nacl/secretbox') throw invalidKey(`unsupported cipher ${JSON.stringify(cipher.name)}`)
  const { N, r, p } = kdf.params
  if (
    typeof N !== 'number' ||
    !Number.isInteger(N) ||
    N < 2 ||
    N > MAX_N ||
    (N & (N - 1)) !== 0 ||
    typeof r !== 'number' ||
    !Number.isInteger(r) ||
    r < 1 ||
    r > MAX_R ||
    typeof p !== 'number' ||
    !Number.isInteger(p) ||
    p < 1 ||
    p > MAX_P
  ) {
    throw invalidKey('scrypt parameters out of range')
  }
  const salt = b64(kdf.salt, 'kdf.salt')
  const nonce = b64(cipher.nonce, 'cipher.nonce')
  if (nonce.length !== 24) throw invalidKey('secretbox nonce is not 24 bytes')
  const ciphertext = b64(envelope.ciphertext, 'ciphertext')
  const key = scryptSync(Buffer.from(passphrase), salt, 32, { N, r, p, maxmem: 256 * N * r * p })
  let der: Uint8Array
  try {
    der = xsalsa20poly1305(key, nonce).decrypt(ciphertext)
  } catch (e) {
    throw invalidKey('decryption failed (wrong passphrase?)', e)
  }
  try {
    return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
  } catch (e) {
    throw invalidKey(`decrypted key is not PKCS#8: ${(e as Error).message}`, e)
  }
}
