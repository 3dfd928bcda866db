import { createHmac } from 'node:crypto'
import { ALGO_SM2_SA, CSV_CERT_SIZE, USAGE } from './hygon-cert.ts'
import { caCertificateJson, csvCertificateJson, signSm2, type SyntheticSigner } from './csv-synthetic-pki.ts'

/*
 * Test support: CSV attestation reports (v1 masked, v2 with RTMRs) signed by a synthetic PEK, and
 * the evidence JSON around them, as guest-components' CSV attester sends it.
 */

export interface SyntheticReport {
  readonly version: 1 | 2
  readonly reportData: Uint8Array
  readonly mnonce: Uint8Array
  readonly measure: Uint8Array
  readonly vmId: Uint8Array
  readonly vmVersion: Uint8Array
  readonly userPubkeyDigest: Uint8Array
  readonly policy: number
  /** v1: the masking nonce. */
  readonly anonce?: number
  /** v2 */
  readonly build?: number
  readonly rtmrVersion?: number
  /** v2: RTMR0–4. */
  readonly rtmrs?: readonly Uint8Array[]
}

function masked(bytes: Uint8Array, anonce: number): Uint8Array {
  const mask = Buffer.alloc(4)
  mask.writeUInt32LE(anonce >>> 0)
  return bytes.map((b, i) => b ^ (mask[i % 4] ?? 0))
}

/** The 4096 report bytes: tee info signed by the PEK, then the signer block the attester leaves. */
export function syntheticReportBytes(
  input: SyntheticReport,
  pek: SyntheticSigner,
  pekCert: Uint8Array,
  serial: Uint8Array,
): Uint8Array {
  const out = new Uint8Array(4096)
  const view = new DataView(out.buffer)
  const anonce = input.version === 1 ? (input.anonce ?? 0) : 0
  const put = (bytes: Uint8Array, at: number): void => {
    out.set(masked(bytes, anonce), at)
  }
  put(input.userPubkeyDigest, 0)
  put(input.vmId, 32)
  put(input.vmVersion, 48)
  put(input.reportData, 64)
  put(input.mnonce, 128)
  put(input.measure, 144)
  view.setUint32(176, (input.policy ^ anonce) >>> 0, true)
  view.setUint32(180, (USAGE.PEK ^ anonce) >>> 0, true)
  view.setUint32(184, (ALGO_SM2_SA ^ anonce) >>> 0, true)
  let sigAt: number
  let signedEnd: number
  if (input.version === 1) {
    view.setUint32(188, anonce >>> 0, true)
    ;[sigAt, signedEnd] = [192, 180]
  } else {
    view.setUint32(188, input.build ?? 0, true)
    view.setUint16(192, input.rtmrVersion ?? 0, true)
    ;(input.rtmrs ?? []).forEach((rtmr, n) => {
      out.set(rtmr, 208 + n * 32)
    })
    ;[sigAt, signedEnd] = [1024, 1024]
  }
  const sig = signSm2(pek, out.subarray(0, signedEnd))
  for (const [value, at] of [
    [sig.r, sigAt],
    [sig.s, sigAt + 72],
  ] as const) {
    let v = value
    for (let i = 0; i < 72; i++, v >>= 8n) out[at + i] = Number(v & 0xffn)
  }
  const signer = input.version === 1 ? 0x150 : 0x490
  out.set(pekCert, signer)
  out.set(serial.subarray(0, 64), signer + CSV_CERT_SIZE)
  // The firmware's HMAC over the (masked) signer fields, keyed with the guest's mnonce: opaque here.
  const mac = createHmac('sm3', input.mnonce)
    .update(out.subarray(signer, signer + CSV_CERT_SIZE + 96))
    .digest()
  out.set(mac, signer + CSV_CERT_SIZE + 96)
  return out
}

export interface SyntheticEvidenceParts {
  readonly version: 1 | 2
  readonly report: Uint8Array
  readonly pekCert: Uint8Array
  readonly serial: Uint8Array
  readonly hskCek?: { readonly hsk: Uint8Array; readonly cek: Uint8Array }
  readonly ccEventLog?: Uint8Array
}

/** The evidence JSON (upstream `CsvEvidence` serde form). */
export function syntheticCsvEvidence(parts: SyntheticEvidenceParts): Record<string, unknown> {
  const magic = parts.version === 1 ? new Uint8Array(16) : Buffer.from('ATTESTATION_EXT\0', 'latin1')
  return {
    attestation_report: {
      magic: Array.from(magic),
      flags: parts.version === 1 ? 0 : 1,
      data: Array.from(parts.report),
    },
    cert_chain: {
      ...(parts.hskCek === undefined
        ? {}
        : { hsk_cek: { hsk: caCertificateJson(parts.hskCek.hsk), cek: csvCertificateJson(parts.hskCek.cek) } }),
      pek: csvCertificateJson(parts.pekCert),
    },
    serial_number: Array.from(parts.serial),
    cc_eventlog: parts.ccEventLog === undefined ? null : Buffer.from(parts.ccEventLog).toString('base64'),
  }
}
