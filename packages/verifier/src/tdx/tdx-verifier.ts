import type { X509Certificate } from 'node:crypto'
import type { JsonObject, JsonValue } from '@carapace/protocol'
import { NO_COLLATERAL } from '../collateral/collateral-source.ts'
import { quoteInitDataField, quoteReportData } from '../dcap/quote-parse.ts'
import { evaluateQuoteTcb } from '../dcap/quote-tcb.ts'
import { checkInitData, checkReportData, verifyDcapQuote, type DcapTcbEvaluator } from '../dcap/quote-verify.ts'
import { verifiedTdxEventLog } from '../eventlog/tdx-event-log.ts'
import { base64Field, evidenceObject } from '../evidence-json.ts'
import { onlyFields } from '../only-fields.ts'
import { VerificationError, type Verifier } from '../verifier.ts'
import { tdxQuoteClaims } from './tdx-claims.ts'

/**
 * Replays a CC event log (raw CCEL table data) against RTMR0–3 of the quote; returns the
 * `uefi_event_logs` claim, throws `MEASUREMENT_MISMATCH` when it does not replay.
 */
/** Upstream's `TdxEvidence` fields (tdx/mod.rs), both required; nothing signs the JSON, so nothing else is taken. */
const FIELDS: ReadonlySet<string> = new Set(['cc_eventlog', 'quote'])

export type TdxEventLogReplay = (ccel: Uint8Array, rtmrs: readonly Uint8Array[]) => JsonValue[]

export interface TdxVerifierOptions {
  /** The TCB step (default: TCB Info + QE Identity from the collateral, Intel's rules). */
  readonly evaluateTcb?: DcapTcbEvaluator
  /** The CCEL step (default: parse the CC event log and replay it against RTMR0–3). */
  readonly replayEventLog?: TdxEventLogReplay
  /** Trust anchor for the PCK chain (default: the pinned Intel SGX Root CA). */
  readonly trustedRoot?: X509Certificate
}

/**
 * Upstream's `tdx` verifier: evidence `{"cc_eventlog":"<b64>"|null,"quote":"<b64>"}`, a DCAP
 * quote v4 or v5 (TDX 1.0/1.5). Report data padded to 64 against the quote's; the init-data
 * digest padded/truncated to 48 against `mr_config_id`.
 */
export function createTdxVerifier(options: TdxVerifierOptions = {}): Verifier {
  const evaluateTcb = options.evaluateTcb ?? evaluateQuoteTcb
  const replay = options.replayEventLog ?? verifiedTdxEventLog
  return {
    async verify(evidence, expected, context) {
      const at = context?.at ?? new Date()
      const object = evidenceObject(evidence, 'tdx')
      onlyFields(object, FIELDS, 'tdx evidence')
      const quoteBytes = base64Field(object, 'quote', 'tdx')
      // The attester always writes the field (null without a log): an absent one is a second text for null.
      const log = object['cc_eventlog']
      if (log !== null && typeof log !== 'string') {
        throw new VerificationError('EVIDENCE_MALFORMED', 'tdx evidence.cc_eventlog: expected a string or null')
      }
      const ccel = typeof log === 'string' ? base64Field(object, 'cc_eventlog', 'tdx') : undefined
      if (quoteBytes.length >= 2 && quoteBytes[0] === 3 && quoteBytes[1] === 0) {
        throw new VerificationError('UNSUPPORTED_VERSION', 'TDX: DCAP quote v3 is not accepted (v4 or v5 only)')
      }
      const verified = await verifyDcapQuote(quoteBytes, 'tdx', {
        at,
        collateral: context?.collateral ?? NO_COLLATERAL,
        evaluateTcb,
        ...(options.trustedRoot === undefined ? {} : { trustedRoot: options.trustedRoot }),
      })
      const { quote } = verified
      checkReportData(quoteReportData(quote), expected.reportData)
      checkInitData(quoteInitDataField(quote), expected.initDataDigest)
      // Object.assign, not a second spread: V8 adds properties to a spread clone at ~1 µs each.
      const claims: JsonObject = Object.assign(tdxQuoteClaims(quote), verified.dcapClaims)
      if (ccel !== undefined) {
        const rtmrs = [0, 1, 2, 3].map((i) => quote.body.subarray(328 + 48 * i, 376 + 48 * i))
        claims['uefi_event_logs'] = replay(ccel, rtmrs)
      }
      return [{ claims, teeClass: 'cpu' }]
    },
  }
}
