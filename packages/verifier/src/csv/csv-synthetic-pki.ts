import { sm2 } from 'sm-crypto-v2'
import { ALGO_SM2_SA, CA_CERT_SIZE, CSV_CERT_SIZE, USAGE } from './hygon-cert.ts'

/*
 * Test support: a Hygon PKI of our own (HRK → HSK → CEK → PEK, SM2 keys from sm-crypto-v2) in the
 * binary formats hygon-cert.ts reads, and their serde JSON form as the evidence carries them. Used
 * by scripts/build-csv-fixtures.mjs (the committed fixtures) and by tests that need variants.
 */

export interface Sm2KeyPair {
  /** 64 hex digits. */
  readonly privateKey: string
  /** Uncompressed point, `04` + x + y in hex. */
  readonly publicKey: string
}

export interface SyntheticSigner {
  readonly keys: Sm2KeyPair
  /** The distinguishing ID its signatures use (ASCII). */
  readonly userId: string
  readonly usage: number
  /** CA signers: their key id. */
  readonly kid?: Uint8Array
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const { privateKey, publicKey } = sm2.generateKeyPairHex()
  return { privateKey, publicKey }
}

function littleEndian(value: bigint, size: number): Uint8Array {
  const out = new Uint8Array(size)
  let v = value
  for (let i = 0; i < size; i++) {
    out[i] = Number(v & 0xffn)
    v >>= 8n
  }
  return out
}

/** SM2 signature over `message` with the signer's ID (sm-crypto-v2 computes Z itself). */
export function signSm2(signer: SyntheticSigner, message: Uint8Array): { r: bigint; s: bigint } {
  const hex = sm2.doSignature(message, signer.keys.privateKey, {
    hash: true,
    userId: signer.userId,
    publicKey: signer.keys.publicKey,
  })
  return { r: BigInt(`0x${hex.slice(0, 64)}`), s: BigInt(`0x${hex.slice(64)}`) }
}

/** The 72-byte little-endian x and y fields of a public key. */
function pointFields(publicKey: string): { x: Uint8Array; y: Uint8Array } {
  return {
    x: littleEndian(BigInt(`0x${publicKey.slice(2, 66)}`), 72),
    y: littleEndian(BigInt(`0x${publicKey.slice(66, 130)}`), 72),
  }
}

function writeUserId(out: Uint8Array, view: DataView, at: number, userId: string): void {
  const id = Buffer.from(userId, 'latin1')
  view.setUint16(at, id.length, true)
  out.set(id, at + 2)
}

function writeSignature(out: Uint8Array, at: number, sig: { r: bigint; s: bigint }): void {
  out.set(littleEndian(sig.r, 72), at)
  out.set(littleEndian(sig.s, 72), at + 72)
}

/** An 832-byte CA certificate for `subject`, signed by `issuer` (the subject itself for an HRK). */
export function caCertificate(subject: SyntheticSigner, issuer: SyntheticSigner): Uint8Array {
  const out = new Uint8Array(CA_CERT_SIZE)
  const view = new DataView(out.buffer)
  view.setUint32(0, 1, true)
  out.set(subject.kid ?? new Uint8Array(16), 4)
  out.set(issuer.kid ?? new Uint8Array(16), 20)
  view.setUint32(36, subject.usage, true)
  view.setUint32(64, 3, true)
  const { x, y } = pointFields(subject.keys.publicKey)
  out.set(x, 68)
  out.set(y, 140)
  writeUserId(out, view, 212, subject.userId)
  writeSignature(out, 576, signSm2(issuer, out.subarray(0, 576)))
  return out
}

/** A 2084-byte CSV certificate for `subject`, its first signature slot signed by `issuer`. */
export function csvCertificate(subject: SyntheticSigner, issuer: SyntheticSigner): Uint8Array {
  const out = new Uint8Array(CSV_CERT_SIZE)
  const view = new DataView(out.buffer)
  view.setUint32(0, 1, true)
  out[4] = 1
  out[5] = 4
  view.setUint32(8, subject.usage, true)
  view.setUint32(12, ALGO_SM2_SA, true)
  view.setUint32(16, 3, true)
  const { x, y } = pointFields(subject.keys.publicKey)
  out.set(x, 20)
  out.set(y, 92)
  writeUserId(out, view, 164, subject.userId)
  view.setUint32(1044, issuer.usage, true)
  view.setUint32(1048, ALGO_SM2_SA, true)
  writeSignature(out, 1052, signSm2(issuer, out.subarray(0, 1044)))
  return out
}

const arr = (bytes: Uint8Array, from: number, to: number): number[] => Array.from(bytes.subarray(from, to))
const u32 = (bytes: Uint8Array, at: number): number => Buffer.from(bytes).readUInt32LE(at)
const u16 = (bytes: Uint8Array, at: number): number => Buffer.from(bytes).readUInt16LE(at)

function pointJson(bytes: Uint8Array, at: number): { g: number; x: number[]; y: number[] } {
  return { g: u32(bytes, at), x: arr(bytes, at + 4, at + 76), y: arr(bytes, at + 76, at + 148) }
}

/** The serde JSON csv-rs gives a CA certificate (as in `cert_chain.hsk_cek.hsk`). */
export function caCertificateJson(b: Uint8Array): unknown {
  return {
    body: {
      preamble: {
        ver: u32(b, 0),
        data: { kid: arr(b, 4, 20), sid: arr(b, 20, 36), usage: u32(b, 36), reserved: arr(b, 40, 64) },
      },
      pubkey: pointJson(b, 64),
      uid_size: u16(b, 212),
      user_id: arr(b, 214, 468),
      reserved: arr(b, 468, 576),
    },
    signature: { r: arr(b, 576, 648), s: arr(b, 648, 720) },
    _reserved: arr(b, 720, 832),
  }
}

/** The serde JSON csv-rs gives a CSV certificate (CEK, PEK). */
export function csvCertificateJson(b: Uint8Array): unknown {
  const slot = (at: number): unknown => ({
    usage: u32(b, at),
    algo: u32(b, at + 4),
    signature: { r: arr(b, at + 8, at + 80), s: arr(b, at + 80, at + 152) },
    _reserved: arr(b, at + 152, at + 520),
  })
  return {
    body: {
      ver: u32(b, 0),
      data: {
        firmware: { major: b[4], minor: b[5] },
        reserved1: u16(b, 6),
        pubkey: { usage: u32(b, 8), algo: u32(b, 12), key: pointJson(b, 16) },
        uid_size: u16(b, 164),
        user_id: arr(b, 166, 420),
        sid: arr(b, 420, 436),
        reserved2: arr(b, 436, 1044),
      },
    },
    sigs: [slot(1044), slot(1564)],
  }
}

export interface SyntheticPki {
  readonly hrk: SyntheticSigner
  readonly hsk: SyntheticSigner
  readonly cek: SyntheticSigner
  readonly pek: SyntheticSigner
  readonly hrkCert: Uint8Array
  readonly hskCert: Uint8Array
  readonly cekCert: Uint8Array
  readonly pekCert: Uint8Array
}

/** A fresh chain under a fresh HRK; `kidByte` fills the HRK/HSK key ids (tell two PKIs apart). */
export function syntheticPki(kidByte = 0x11): SyntheticPki {
  const hrk = {
    keys: generateSm2KeyPair(),
    userId: 'HYGON-SSD-HRK',
    usage: USAGE.HRK,
    kid: new Uint8Array(16).fill(kidByte),
  }
  const hsk = {
    keys: generateSm2KeyPair(),
    userId: 'HYGON-SSD-HSK',
    usage: USAGE.HSK,
    kid: new Uint8Array(16).fill(kidByte + 1),
  }
  const cek = { keys: generateSm2KeyPair(), userId: 'HYGON-SSD-CEK', usage: USAGE.CEK }
  const pek = { keys: generateSm2KeyPair(), userId: 'HYGON-SSD-PEK', usage: USAGE.PEK }
  return {
    hrk,
    hsk,
    cek,
    pek,
    hrkCert: caCertificate(hrk, hrk),
    hskCert: caCertificate(hsk, hrk),
    cekCert: csvCertificate(cek, hsk),
    pekCert: csvCertificate(pek, cek),
  }
}
