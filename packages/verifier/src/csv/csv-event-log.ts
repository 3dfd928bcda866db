import { createHash } from 'node:crypto'
import type { JsonObject } from '@carapace/protocol'
import { parseCcEventLog, type UefiEventLogEntry } from '../eventlog/ccel-parse.ts'
import { replayRegister } from '../eventlog/rtmr-replay.ts'
import { VerificationError } from '../verifier.ts'

interface ReplayedLog {
  readonly entries: readonly UefiEventLogEntry[]
  /** CC MR index 1–4 replayed with SM3. */
  readonly registers: readonly Buffer[]
}

/** Parsed and replayed logs by content: a guest sends the same log with every attestation. */
const replayed = new Map<string, ReplayedLog>()
const CACHE_LIMIT = 32

function replayedLog(ccel: Uint8Array): ReplayedLog {
  const key = createHash('sha256').update(ccel).digest('hex')
  const cached = replayed.get(key)
  if (cached !== undefined) return cached
  const entries = parseCcEventLog(ccel)
  const log = { entries, registers: [1, 2, 3, 4].map((index) => replayRegister(entries, index, 'SM3')) }
  if (replayed.size >= CACHE_LIMIT) replayed.clear()
  replayed.set(key, log)
  return log
}

/**
 * The v2 report's event-log step: the CC event log (SM3 digests) replayed per CC MR index 1–4 must
 * give RTMR1–4 (RTMR0 is the launch measurement, not in the log). Returns the `uefi_event_logs`
 * claim (fresh entry objects on every call).
 */
export function verifiedCsvEventLog(ccel: Uint8Array, rtmrs: readonly Uint8Array[]): JsonObject[] {
  const log = replayedLog(ccel)
  log.registers.forEach((value, n) => {
    const rtmr = rtmrs[n + 1] ?? new Uint8Array()
    if (!value.equals(rtmr)) {
      throw new VerificationError(
        'MEASUREMENT_MISMATCH',
        `csv: the event log does not replay to RTMR${String(n + 1)}: replayed ${value.toString('hex')}, report has ${Buffer.from(rtmr).toString('hex')}`,
      )
    }
  })
  return log.entries.map((e) => ({ ...e, details: { ...e.details }, digests: e.digests.map((d) => ({ ...d })) }))
}
