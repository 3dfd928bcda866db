import { createHash } from 'node:crypto'
import type { JsonObject } from '@carapace/protocol'
import { VerificationError } from '../verifier.ts'
import { parseCcEventLog, type UefiEventLogEntry } from './ccel-parse.ts'
import { replayRegister } from './rtmr-replay.ts'

interface ReplayedLog {
  readonly entries: readonly UefiEventLogEntry[]
  /** RTMR0–3 as the log replays them (SHA-384, CC MR index 1–4). */
  readonly rtmrs: readonly Buffer[]
}

/** Parsed and replayed logs by content: a TD sends the same log with every attestation. */
const replayed = new Map<string, ReplayedLog>()
const CACHE_LIMIT = 32

function replayedLog(ccel: Uint8Array): ReplayedLog {
  const key = createHash('sha256').update(ccel).digest('hex')
  const cached = replayed.get(key)
  if (cached !== undefined) return cached
  const entries = parseCcEventLog(ccel)
  const log = { entries, rtmrs: [1, 2, 3, 4].map((index) => replayRegister(entries, index, 'SHA-384')) }
  if (replayed.size >= CACHE_LIMIT) replayed.clear()
  replayed.set(key, log)
  return log
}

/**
 * The TDX verifier's event-log step: parse the CCEL data from the evidence (`cc_eventlog`, decoded),
 * replay it against the quote's RTMR0–3 (`MEASUREMENT_MISMATCH` naming the register and both values)
 * and return the `tdx.uefi_event_logs` claim (fresh entry objects on every call).
 */
export function verifiedTdxEventLog(ccel: Uint8Array, rtmrs: readonly Uint8Array[]): JsonObject[] {
  if (rtmrs.length !== 4) throw new VerificationError('EVIDENCE_MALFORMED', 'four RTMRs expected')
  const log = replayedLog(ccel)
  rtmrs.forEach((rtmr, n) => {
    const value = log.rtmrs[n] as Buffer
    if (!value.equals(rtmr)) {
      throw new VerificationError(
        'MEASUREMENT_MISMATCH',
        `the event log does not replay to RTMR${String(n)} (CC MR index ${String(n + 1)}): replayed ${value.toString('hex')}, quote has ${Buffer.from(rtmr).toString('hex')}`,
      )
    }
  })
  return log.entries.map((e) => ({ ...e, details: { ...e.details }, digests: e.digests.map((d) => ({ ...d })) }))
}
