import { createHash } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import type { UefiEventLogEntry } from './ccel-parse.ts'
import { TCG_HASHES, type TcgHashName } from './tcg-types.ts'

/**
 * Replays the measurement register `index` (CC MR index; RTMRn is n+1 on TDX): starting from zeros,
 * extend with each event's digest of `alg` in log order. EV_NO_ACTION events are informational and
 * not extended.
 */
export function replayRegister(log: readonly UefiEventLogEntry[], index: number, alg: TcgHashName): Buffer {
  const algorithm = TCG_HASHES.get(alg)
  if (algorithm === undefined) throw new VerificationError('UNSUPPORTED_VERSION', `no ${alg} replay`)
  let value = Buffer.alloc(algorithm.size)
  for (const entry of log) {
    if (entry.index !== index || entry.type_name === 'EV_NO_ACTION') continue
    for (const d of entry.digests) {
      if (d.alg === alg) value = createHash(algorithm.hash).update(value).update(Buffer.from(d.digest, 'hex')).digest()
    }
  }
  return value
}

/**
 * Checks a TDX event log against the quote's RTMR0–3 (SHA-384, CC MR index 1–4). A mismatch is
 * `MEASUREMENT_MISMATCH` naming the register and both values.
 */
export function verifyRtmrReplay(log: readonly UefiEventLogEntry[], rtmrs: readonly Uint8Array[]): void {
  if (rtmrs.length !== 4) throw new VerificationError('EVIDENCE_MALFORMED', 'four RTMRs expected')
  rtmrs.forEach((rtmr, n) => {
    const replayed = replayRegister(log, n + 1, 'SHA-384')
    if (!replayed.equals(rtmr)) {
      throw new VerificationError(
        'MEASUREMENT_MISMATCH',
        `the event log does not replay to RTMR${String(n)} (CC MR index ${String(n + 1)}): replayed ${replayed.toString('hex')}, quote has ${Buffer.from(rtmr).toString('hex')}`,
      )
    }
  })
}
