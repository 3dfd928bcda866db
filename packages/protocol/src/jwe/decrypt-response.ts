import { constants, createDecipheriv, diffieHellman, privateDecrypt, type KeyObject } from 'node:crypto'
import { CocoError, ProtocolError } from '../errors.ts'
import type { TeeKeyPair } from '../tee-key/tee-key-pair.ts'
import { ecCoordinate, ecPublicKeyObject } from '../tee-key/tee-pubkey.ts'
import { aes256KeyUnwrap } from './aes-key-wrap.ts'
import { base64UrlDecode } from './base64url.ts'
import { concatKdfSha256 } from './concat-kdf.ts'
import {
  CEK_LENGTH,
  CONTENT_ENCRYPTION,
  ECDH_ES_A256KW,
  IV_LENGTH,
  RSA1_5,
  RSA_OAEP_256,
  TAG_LENGTH,
} from './jwe-response.ts'
import { describeValue } from './describe-value.ts'

const MEMBERS = ['protected', 'encrypted_key', 'iv', 'ciphertext', 'tag'] as const

/**
 * Guest side: decrypts a KBS resource response (flattened JWE, parsed JSON) with the TEE key
 * pair, like guest-components' `decrypt_response`. The GCM AAD is the received `protected`
 * string verbatim. Plaintext is returned only after the GCM tag verified. Every failure is a
 * ProtocolError('JWE_ERROR').
 *
 * RSA1_5 is refused: node refuses PKCS#1 v1.5 decryption (CVE-2023-46809, Bleichenbacher
 * oracle) and guest-components no longer generates RSA1_5 keys.
 */
export function decryptResponse(jwe: unknown, teeKeyPair: TeeKeyPair): Uint8Array {
  try {
    return decrypt(jwe, teeKeyPair)
  } catch (cause) {
    if (cause instanceof ProtocolError && cause.code === 'JWE_ERROR') throw cause
    const detail = cause instanceof CocoError ? cause.message : 'decryption failed'
    throw new ProtocolError('JWE_ERROR', `cannot decrypt the KBS response: ${detail}`, { cause })
  }
}

function decrypt(jwe: unknown, pair: TeeKeyPair): Buffer {
  if (typeof jwe !== 'object' || jwe === null || Array.isArray(jwe)) fail('the response is not a JSON object')
  const record = jwe as Record<string, unknown>
  for (const name of MEMBERS) {
    if (typeof record[name] !== 'string') fail(`member ${name} is missing or not a string`)
  }
  // Upstream computes the AAD from the protected header only; an `aad` member would be ignored
  // there and break authentication against any RFC 7516 sender, so it is refused outright.
  if (record['aad'] !== undefined) fail('the aad member is not supported')
  const protectedText = record['protected'] as string
  const header = parseHeader(protectedText)
  const iv = base64UrlDecode(record['iv'] as string, 'iv')
  const tag = base64UrlDecode(record['tag'] as string, 'tag')
  const ciphertext = base64UrlDecode(record['ciphertext'] as string, 'ciphertext')
  const encryptedKey = base64UrlDecode(record['encrypted_key'] as string, 'encrypted_key')
  if (iv.length !== IV_LENGTH) fail(`iv is ${iv.length} bytes, A256GCM needs ${IV_LENGTH}`)
  if (tag.length !== TAG_LENGTH) fail(`tag is ${tag.length} bytes, A256GCM needs ${TAG_LENGTH}`)

  const cek = unwrapContentKey(header, encryptedKey, pair)
  if (cek.length !== CEK_LENGTH) fail(`content key is ${cek.length} bytes, A256GCM needs ${CEK_LENGTH}`)
  const decipher = createDecipheriv('aes-256-gcm', cek, iv, { authTagLength: TAG_LENGTH })
  decipher.setAAD(Buffer.from(protectedText, 'ascii'))
  decipher.setAuthTag(tag)
  const head = decipher.update(ciphertext)
  try {
    return Buffer.concat([head, decipher.final()])
  } catch (cause) {
    throw new ProtocolError('JWE_ERROR', 'A256GCM authentication failed: the response was altered', { cause })
  }
}

function parseHeader(protectedText: string): Record<string, unknown> {
  const bytes = base64UrlDecode(protectedText, 'protected')
  let header: unknown
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch {
    fail('the protected header is not UTF-8 JSON')
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail('the protected header is not a JSON object')
  }
  const record = header as Record<string, unknown>
  if (record['enc'] !== CONTENT_ENCRYPTION) fail(`enc ${describeValue(record['enc'])} is not supported (only A256GCM)`)
  for (const name of ['zip', 'crit', 'apu', 'apv']) {
    if (record[name] !== undefined) fail(`header parameter ${name} is not supported`)
  }
  return record
}

function unwrapContentKey(header: Record<string, unknown>, encryptedKey: Buffer, pair: TeeKeyPair): Buffer {
  const alg = header['alg']
  if (pair.kty === 'EC') {
    if (alg !== ECDH_ES_A256KW) fail(`alg ${describeValue(alg)} does not match the EC key (expected ECDH-ES+A256KW)`)
    const epk = ephemeralKey(header['epk'], pair.curve)
    const z = diffieHellman({ privateKey: pair.privateKey, publicKey: epk })
    const kek = concatKdfSha256(z, ECDH_ES_A256KW, 256)
    return aes256KeyUnwrap(kek, encryptedKey)
  }
  if (alg === RSA1_5) fail('alg RSA1_5 is not supported: node refuses PKCS#1 v1.5 decryption (CVE-2023-46809)')
  if (alg !== RSA_OAEP_256) fail(`alg ${describeValue(alg)} does not match the RSA key (expected RSA-OAEP-256)`)
  try {
    return privateDecrypt(
      { key: pair.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      encryptedKey,
    )
  } catch (cause) {
    throw new ProtocolError('JWE_ERROR', 'RSA-OAEP-256 decryption of encrypted_key failed', { cause })
  }
}

function ephemeralKey(epk: unknown, curve: 'P-256' | 'P-521'): KeyObject {
  if (typeof epk !== 'object' || epk === null || Array.isArray(epk)) fail('header epk is missing or not an object')
  const record = epk as Record<string, unknown>
  if (record['kty'] !== 'EC') fail(`epk kty ${describeValue(record['kty'])} is not EC`)
  if (record['crv'] !== curve)
    fail(`epk curve ${describeValue(record['crv'])} does not match the TEE key curve ${curve}`)
  const x = ecCoordinate(record['x'], curve, 'epk.x')
  const y = ecCoordinate(record['y'], curve, 'epk.y')
  return ecPublicKeyObject(curve, x, y, 'epk')
}

function fail(message: string): never {
  throw new ProtocolError('JWE_ERROR', message)
}
