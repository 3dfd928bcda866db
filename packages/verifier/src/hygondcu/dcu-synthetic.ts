import { USAGE } from '../csv/hygon-cert.ts'
import {
  csvCertificate,
  generateSm2KeyPair,
  signSm2,
  syntheticPki,
  type SyntheticPki,
  type SyntheticSigner,
} from '../csv/csv-synthetic-pki.ts'
import { DCU_BODY_SIZE } from './dcu-evidence.ts'

/*
 * Test support: DCU attestation reports signed by synthetic chip CEKs under a synthetic Hygon PKI
 * (csv-synthetic-pki.ts), and the evidence JSON around them (guest-components' DCU attester form).
 */

export interface SyntheticDcu {
  readonly chipId: string
  readonly cek: SyntheticSigner
  readonly cekCert: Uint8Array
}

/** A DCU chip: its CEK, certified by the PKI's HSK. */
export function syntheticDcu(pki: SyntheticPki, chipId: string): SyntheticDcu {
  const cek = { keys: generateSm2KeyPair(), userId: 'HYGON-SSD-CEK', usage: USAGE.CEK }
  return { chipId, cek, cekCert: csvCertificate(cek, pki.hsk) }
}

export { syntheticPki }

export interface SyntheticDcuBody {
  readonly version: number
  readonly userData: Uint8Array
  readonly measure: Uint8Array
}

const arr = (bytes: Uint8Array, from: number, to: number): number[] => Array.from(bytes.subarray(from, to))

function littleEndian72(value: bigint): number[] {
  const out: number[] = []
  let v = value
  for (let i = 0; i < 72; i++, v >>= 8n) out.push(Number(v & 0xffn))
  return out
}

/** One report of `dcu` (serde JSON form), signed by its CEK. */
export function syntheticDcuReport(dcu: SyntheticDcu, input: SyntheticDcuBody): unknown {
  const body = new Uint8Array(DCU_BODY_SIZE)
  const view = new DataView(body.buffer)
  view.setUint32(0, input.version, true)
  body.set(Buffer.from(dcu.chipId, 'latin1').subarray(0, 16), 4)
  body.set(input.userData, 20)
  body.set(input.measure, 84)
  view.setUint32(244, USAGE.CEK, true)
  view.setUint32(248, 4, true)
  const sig = signSm2(dcu.cek, body)
  return {
    body: {
      version: input.version,
      chip_id: arr(body, 4, 20),
      user_data: arr(body, 20, 84),
      measure: arr(body, 84, 116),
      reserved: arr(body, 116, 244),
      sig_usage: USAGE.CEK,
      sig_algo: 4,
    },
    sig: { r: littleEndian72(sig.r), s: littleEndian72(sig.s) },
  }
}
