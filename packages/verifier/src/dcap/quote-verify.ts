import type { X509Certificate } from 'node:crypto'
import type { JsonObject } from '@carapace/protocol'
import type { CollateralSource, IntelTee } from '../collateral/collateral-source.ts'
import { VerificationError } from '../verifier.ts'
import { verifyPckChain, type VerifiedPckChain } from './pck-chain.ts'
import { pckClaims, pckCollateralDates } from './pck-claims.ts'
import { parseDcapQuote, TEE_TYPE_SGX, TEE_TYPE_TDX, type DcapQuote } from './quote-parse.ts'
import { checkQeReport, checkQuoteSignature } from './quote-signature.ts'
import { claimTime } from './collateral-evaluate.ts'

/** What the TCB step (TCB Info + QE Identity, Intel's status rules) gets from the quote checks. */
export interface DcapTcbRequest {
  readonly tee: IntelTee
  readonly quote: DcapQuote
  readonly pck: VerifiedPckChain
  readonly at: Date
  readonly collateral: CollateralSource
}

export interface DcapTcbResult {
  /** `tcb_status`, `tcb_date`, `advisory_ids`, `tcb_eval_num` (and the `*_current` claims where used). */
  readonly claims: JsonObject
  /** Issue dates and expiry (`nextUpdate` / notAfter) of the TCB Info, QE Identity and their signing chain. */
  readonly issued: readonly Date[]
  readonly expires: readonly Date[]
}

/**
 * The TCB evaluation: throws `VerificationError` (`COLLATERAL_UNAVAILABLE`, `COLLATERAL_INVALID`,
 * `TCB_OUT_OF_DATE`, `CERT_EXPIRED`…) when the TCB is not acceptable.
 */
export type DcapTcbEvaluator = (request: DcapTcbRequest) => Promise<DcapTcbResult>

/** A TCB step that refuses every quote (COLLATERAL_UNAVAILABLE); the real one is `evaluateQuoteTcb` (quote-tcb.ts). */
export const NO_TCB_EVALUATION: DcapTcbEvaluator = () =>
  Promise.reject(
    new VerificationError('COLLATERAL_UNAVAILABLE', 'DCAP: no TCB evaluation (TCB Info / QE Identity) is configured'),
  )

export interface DcapVerifyOptions {
  readonly at: Date
  readonly collateral: CollateralSource
  readonly evaluateTcb: DcapTcbEvaluator
  readonly trustedRoot?: X509Certificate
}

export interface VerifiedDcapQuote {
  readonly quote: DcapQuote
  readonly pck: VerifiedPckChain
  /** The DCAP result claims (upstream's custom claims: tcb_status, pck_crl_num, root_key_id, …). */
  readonly dcapClaims: JsonObject
}

/** RFC 3339 without fractions (`toISOString` always ends in `.sssZ`). */

/**
 * Intel's quote verification for one TEE: parse, quote signature by the attestation key, PCK chain
 * to the trusted root with CRLs, QE report signature and its binding of the attestation key, then
 * the TCB evaluation. The report-data and init-data bindings are the caller's.
 */
export async function verifyDcapQuote(
  bytes: Uint8Array,
  tee: IntelTee,
  options: DcapVerifyOptions,
): Promise<VerifiedDcapQuote> {
  const quote = parseDcapQuote(bytes)
  const wanted = tee === 'tdx' ? TEE_TYPE_TDX : TEE_TYPE_SGX
  if (quote.header.teeType !== wanted) {
    throw new VerificationError('EVIDENCE_MALFORMED', `DCAP quote: not a ${tee.toUpperCase()} quote`)
  }
  checkQuoteSignature(quote)
  const pck = await verifyPckChain(quote, {
    at: options.at,
    collateral: options.collateral,
    trustedRoot: options.trustedRoot,
  })
  checkQeReport(quote, pck.leaf)
  const tcb = await options.evaluateTcb({ tee, quote, pck, at: options.at, collateral: options.collateral })
  const { issued, expires } = pckCollateralDates(pck)
  for (const d of tcb.issued) issued.push(d.getTime())
  for (const d of tcb.expires) expires.push(d.getTime())
  const earliestExpiry = Math.min(...expires)
  // Object.assign rather than spreads: V8 (Node 20) adds each property after a spread at about a
  // microsecond, which on this path weighed as much as a signature check.
  const dcapClaims: JsonObject = Object.assign(pckClaims(pck), tcb.claims)
  dcapClaims['earliest_issue_date'] = claimTime(new Date(Math.min(...issued)))
  dcapClaims['latest_issue_date'] = claimTime(new Date(Math.max(...issued)))
  dcapClaims['earliest_expiration_date'] = claimTime(new Date(earliestExpiry))
  dcapClaims['collateral_expiration_status'] = options.at.getTime() > earliestExpiry ? '1' : '0'
  return { quote, pck, dcapClaims }
}

/** Expected report data (≤ 64 B) zero-padded to 64 against the quote's; not checked when absent. */
export function checkReportData(quoteReportData: Uint8Array, expected: Uint8Array | undefined): void {
  if (expected === undefined) return
  if (expected.length > 64 || !Buffer.from(quoteReportData).equals(regularize(expected, 64))) {
    throw new VerificationError('REPORT_DATA_MISMATCH', 'DCAP quote: report data does not match the runtime data')
  }
}

/** Expected init-data digest zero-padded or truncated to the field (TDX 48 B, SGX 64 B). */
export function checkInitData(field: Uint8Array, expected: Uint8Array | undefined): void {
  if (expected === undefined) return
  if (!Buffer.from(field).equals(regularize(expected, field.length))) {
    throw new VerificationError('INIT_DATA_MISMATCH', 'DCAP quote: the init-data digest does not match the quote')
  }
}

function regularize(data: Uint8Array, size: number): Buffer {
  const out = Buffer.alloc(size)
  out.set(data.subarray(0, size))
  return out
}
