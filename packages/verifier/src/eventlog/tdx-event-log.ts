import type { JsonObject } from '@carapace/protocol'
import { parseCcEventLog } from './ccel-parse.ts'
import { verifyRtmrReplay } from './rtmr-replay.ts'

/**
 * The TDX verifier's event-log step: parse the CCEL data from the evidence (`cc_eventlog`, decoded),
 * replay it against the quote's RTMR0–3 and return the `tdx.uefi_event_logs` claim.
 */
export function verifiedTdxEventLog(ccel: Uint8Array, rtmrs: readonly Uint8Array[]): JsonObject[] {
  const entries = parseCcEventLog(ccel)
  verifyRtmrReplay(entries, rtmrs)
  return entries.map((e) => ({ ...e, digests: e.digests.map((d) => ({ ...d })) }))
}
