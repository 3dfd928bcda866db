import { ALGO_SM2_SA, CA_CERT_SIZE, CSV_CERT_SIZE, USAGE } from './hygon-cert.ts'
import { malformed, objectAt, requireZero, SerdeWriter } from './serde-bytes.ts'

/*
 * Certificates in the evidence arrive as serde JSON of csv-rs structs; they are laid out again as
 * their binary form. Reserved bytes outside the signed body must be zero, and an empty signature
 * slot all zero: nothing verifies them.
 */

const USAGES: readonly number[] = Object.values(USAGE)
const ALGO_SM2_DH = 5

function writePoint(w: SerdeWriter, value: unknown, path: string): void {
  const key = objectAt(value, path, ['g', 'x', 'y'])
  w.u32(key, 'g', path)
  w.array(key, 'x', path, 72)
  w.array(key, 'y', path, 72)
}

function writeSignature(w: SerdeWriter, value: unknown, path: string): Uint8Array[] {
  const sig = objectAt(value, path, ['r', 's'])
  return [w.array(sig, 'r', path, 72), w.array(sig, 's', path, 72)]
}

/** A serde `csv_rs::certs::ca::Certificate` (HSK in `cert_chain.hsk_cek.hsk`) as its 832 bytes. */
export function caCertificateBytes(value: unknown, path: string): Uint8Array {
  const cert = objectAt(value, path, ['body', 'signature', '_reserved'])
  const b = `${path}.body`
  const body = objectAt(cert['body'], b, ['preamble', 'pubkey', 'uid_size', 'user_id', 'reserved'])
  const preamble = objectAt(body['preamble'], `${b}.preamble`, ['ver', 'data'])
  const d = `${b}.preamble.data`
  const data = objectAt(preamble['data'], d, ['kid', 'sid', 'usage', 'reserved'])
  const w = new SerdeWriter(CA_CERT_SIZE)
  w.u32(preamble, 'ver', `${b}.preamble`)
  w.array(data, 'kid', d, 16)
  w.array(data, 'sid', d, 16)
  w.u32(data, 'usage', d)
  w.array(data, 'reserved', d, 24)
  writePoint(w, body['pubkey'], `${b}.pubkey`)
  w.u16(body, 'uid_size', b)
  w.array(body, 'user_id', b, 254)
  w.array(body, 'reserved', b, 108)
  writeSignature(w, cert['signature'], `${path}.signature`)
  requireZero(w.array(cert, '_reserved', path, 112), `${path}._reserved`)
  return w.done(path)
}

function writeSlot(w: SerdeWriter, value: unknown, path: string): void {
  const slot = objectAt(value, path, ['usage', 'algo', 'signature', '_reserved'])
  w.u32(slot, 'usage', path)
  w.u32(slot, 'algo', path)
  const [r, s] = writeSignature(w, slot['signature'], `${path}.signature`)
  requireZero(w.array(slot, '_reserved', path, 368), `${path}._reserved`)
  const usage = slot['usage']
  const algo = slot['algo']
  // csv-rs skips a slot unless it names a known usage and an SM2 algorithm; such a slot must be zero.
  const used = USAGES.includes(usage as number) && (algo === ALGO_SM2_SA || algo === ALGO_SM2_DH)
  if (!used && (usage !== 0 || algo !== 0)) malformed(path, 'an empty signature slot must be zero')
  if (!used) for (const v of [r, s]) requireZero(v ?? new Uint8Array(), `${path}.signature`)
}

/** A serde `csv_rs::certs::csv::Certificate` (CEK, PEK) as its 2084 bytes. */
export function csvCertificateBytes(value: unknown, path: string): Uint8Array {
  const cert = objectAt(value, path, ['body', 'sigs'])
  const b = `${path}.body`
  const body = objectAt(cert['body'], b, ['ver', 'data'])
  const d = `${b}.data`
  const data = objectAt(body['data'], d, ['firmware', 'reserved1', 'pubkey', 'uid_size', 'user_id', 'sid', 'reserved2'])
  const firmware = objectAt(data['firmware'], `${d}.firmware`, ['major', 'minor'])
  const pubkey = objectAt(data['pubkey'], `${d}.pubkey`, ['usage', 'algo', 'key'])
  const w = new SerdeWriter(CSV_CERT_SIZE)
  w.u32(body, 'ver', b)
  w.u8(firmware, 'major', `${d}.firmware`)
  w.u8(firmware, 'minor', `${d}.firmware`)
  w.u16(data, 'reserved1', d)
  w.u32(pubkey, 'usage', `${d}.pubkey`)
  w.u32(pubkey, 'algo', `${d}.pubkey`)
  writePoint(w, pubkey['key'], `${d}.pubkey.key`)
  w.u16(data, 'uid_size', d)
  w.array(data, 'user_id', d, 254)
  w.array(data, 'sid', d, 16)
  w.array(data, 'reserved2', d, 608)
  const sigs = cert['sigs']
  if (!Array.isArray(sigs) || sigs.length !== 2) malformed(`${path}.sigs`, 'expected two signature slots')
  sigs.forEach((slot, i) => {
    writeSlot(w, slot, `${path}.sigs[${String(i)}]`)
  })
  return w.done(path)
}
