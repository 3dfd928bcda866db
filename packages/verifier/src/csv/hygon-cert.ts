import { VerificationError, type VerificationErrorCode } from '../verifier.ts'
import type { Sm2PublicKey } from './sm2-verify.ts'

/*
 * Hygon's binary certificate formats (csv-rs `certs::ca` and `certs::csv`, little-endian):
 * CA certificates (HRK, HSK) are 832 bytes, CSV certificates (CEK, PEK, OCA, PDH) 2084 bytes.
 * Public keys and signature values are 72-byte little-endian fields of which SM2 uses 32.
 */

export const CA_CERT_SIZE = 832
export const CSV_CERT_SIZE = 2084

/** Key usages (csv-rs `certs::Usage`). */
export const USAGE = { HRK: 0x0000, HSK: 0x0013, OCA: 0x1001, PEK: 0x1002, PDH: 0x1003, CEK: 0x1004 } as const
/** Signature algorithms: SM2 signing, SM2 key agreement. */
export const ALGO_SM2_SA = 0x0004
const ALGO_SM2_DH = 0x0005
/** The only curve Hygon certificates use (csv-rs `Group::SM2_256`). */
const GROUP_SM2_256 = 3

export interface HygonSignature {
  readonly usage: number
  readonly algo: number
  readonly r: bigint
  readonly s: bigint
}

export interface HygonCertificate {
  readonly format: 'ca' | 'csv'
  /** The certificate's own usage (its key's role). */
  readonly usage: number
  /** The key's algorithm (CA certificates: always SM2 signing). */
  readonly algo: number
  /** CA certificates: the key id (the id a subject's `sid` names). */
  readonly kid?: Uint8Array
  /** CA certificates: the id of the key that signed it. */
  readonly sid: Uint8Array
  readonly publicKey: Sm2PublicKey
  /** The SM2 distinguishing ID signatures made with this key use (`user_id[..uid_size]`). */
  readonly userId: Uint8Array
  /** The signed bytes (the body). */
  readonly body: Uint8Array
  /** CA: the one signature; CSV: the non-empty slots of the two. */
  readonly signatures: readonly HygonSignature[]
  /** CSV certificates: the firmware (API) version that issued it. */
  readonly firmware?: { readonly major: number; readonly minor: number }
  /** The whole certificate, as encoded. */
  readonly raw: Uint8Array
}

/** A little-endian integer of any length (the 72-byte signature values). */
export function littleEndianBigInt(bytes: Uint8Array): bigint {
  let value = 0n
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] ?? 0)
  return value
}

function reversed(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes).reverse()
}

type Fail = (detail: string) => never

function failWith(code: VerificationErrorCode, what: string): Fail {
  return (detail) => {
    throw new VerificationError(code, `${what}: ${detail}`)
  }
}

function publicKeyAt(view: DataView, bytes: Uint8Array, at: number, fail: Fail): Sm2PublicKey {
  const group = view.getUint32(at, true)
  if (group !== GROUP_SM2_256) fail(`curve ${String(group)} is not SM2-256`)
  return { x: reversed(bytes.subarray(at + 4, at + 36)), y: reversed(bytes.subarray(at + 76, at + 108)) }
}

function userIdAt(view: DataView, bytes: Uint8Array, at: number, fail: Fail): Uint8Array {
  const size = view.getUint16(at, true)
  if (size > 254) fail(`user id size ${String(size)} exceeds 254`)
  return bytes.slice(at + 2, at + 2 + size)
}

function signatureAt(bytes: Uint8Array, at: number): { r: bigint; s: bigint } {
  return {
    r: littleEndianBigInt(bytes.subarray(at, at + 72)),
    s: littleEndianBigInt(bytes.subarray(at + 72, at + 144)),
  }
}

/** An 832-byte CA certificate (HRK or HSK). */
export function parseCaCertificate(input: Uint8Array, what: string, code: VerificationErrorCode): HygonCertificate {
  const fail = failWith(code, what)
  if (input.length !== CA_CERT_SIZE) fail(`${String(input.length)} bytes, a CA certificate has ${String(CA_CERT_SIZE)}`)
  const bytes = Uint8Array.from(input)
  const view = new DataView(bytes.buffer)
  const usage = view.getUint32(36, true)
  return {
    format: 'ca',
    usage,
    algo: ALGO_SM2_SA,
    kid: bytes.slice(4, 20),
    sid: bytes.slice(20, 36),
    publicKey: publicKeyAt(view, bytes, 64, fail),
    userId: userIdAt(view, bytes, 212, fail),
    body: bytes.subarray(0, 576),
    signatures: [{ usage: USAGE.HRK, algo: ALGO_SM2_SA, ...signatureAt(bytes, 576) }],
    raw: bytes,
  }
}

const SIGNATURE_USAGES = new Set<number>(Object.values(USAGE))

/** A 2084-byte CSV certificate (CEK, PEK, …). */
export function parseCsvCertificate(input: Uint8Array, what: string, code: VerificationErrorCode): HygonCertificate {
  const fail = failWith(code, what)
  if (input.length !== CSV_CERT_SIZE)
    fail(`${String(input.length)} bytes, a CSV certificate has ${String(CSV_CERT_SIZE)}`)
  const bytes = Uint8Array.from(input)
  const view = new DataView(bytes.buffer)
  const signatures: HygonSignature[] = []
  for (const at of [1044, 1564]) {
    const usage = view.getUint32(at, true)
    const algo = view.getUint32(at + 4, true)
    // csv-rs treats a slot as empty unless it names a known usage and an SM2 algorithm.
    if (!SIGNATURE_USAGES.has(usage) || (algo !== ALGO_SM2_SA && algo !== ALGO_SM2_DH)) continue
    signatures.push({ usage, algo, ...signatureAt(bytes, at + 8) })
  }
  return {
    format: 'csv',
    usage: view.getUint32(8, true),
    algo: view.getUint32(12, true),
    sid: bytes.slice(420, 436),
    publicKey: publicKeyAt(view, bytes, 16, fail),
    userId: userIdAt(view, bytes, 164, fail),
    body: bytes.subarray(0, 1044),
    signatures,
    firmware: { major: bytes[4] ?? 0, minor: bytes[5] ?? 0 },
    raw: bytes,
  }
}
