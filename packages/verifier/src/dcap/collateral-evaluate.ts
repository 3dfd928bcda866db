import type { JsonObject } from '@carapace/protocol'
import { VerificationError } from '../verifier.ts'
import { verifyCollateralIssuerChain, type IntelCollateralTrust } from './collateral-issuer-chain.ts'
import { verifiedQeIdentity, verifiedTcbInfo } from './collateral-verified.ts'
import { validityOf } from './cert-validity.ts'
import { matchQeIdentity } from './qe-identity-match.ts'
import type { QeIdentity, QeTcbLevel } from './qe-identity.ts'
import type { TcbInfo } from './tcb-info.ts'
import type { PckTcb, QeReportIdentity, TdTcb } from './tcb-inputs.ts'
import { matchPlatformTcb, type PlatformTcbMatch } from './tcb-level-match.ts'
import { acceptedQuoteStatus, convergeTcbStatus, type QuoteTcbStatus } from './tcb-status.ts'

/** A PCS object as served: the response body and its issuer chain header (PEM). */
export interface ServedCollateral {
  readonly body: Uint8Array
  readonly issuerChain: string
}

export interface DcapCollateralInput {
  readonly tee: 'sgx' | 'tdx'
  readonly tcbInfo: ServedCollateral
  readonly qeIdentity: ServedCollateral
  readonly trust: IntelCollateralTrust
  /** The verification time (`context.at ?? now`, taken once by the verifier). */
  readonly at: Date
  readonly pck: PckTcb
  readonly qeReport: QeReportIdentity
  /** TDX quotes: the TD report's TCB fields. */
  readonly td?: TdTcb | undefined
  /** Reject TCB Info / QE Identity past `nextUpdate` (`CERT_EXPIRED`) instead of reporting it. */
  readonly rejectExpiredCollateral?: boolean
}

/** Issue and expiry bounds over the collateral used, as Intel's supplemental data reports them. */
export interface CollateralDates {
  readonly earliestIssue: Date
  readonly latestIssue: Date
  readonly earliestExpiration: Date
}

export interface DcapTcbVerdict {
  /** Accepted statuses only; Revoked and unsupported TCBs throw `TCB_OUT_OF_DATE`. */
  readonly status: QuoteTcbStatus
  /** The matched TCB Info level's `tcbDate` (Intel's `tcb_level_date_tag`). */
  readonly tcbDate: Date
  /** INTEL-SA-… of the matched TCB Info level (Intel's supplemental `sa_list`). */
  readonly advisoryIds: readonly string[]
  /** TCB Info or QE Identity is past its `nextUpdate` at the verification time. */
  readonly collateralExpired: boolean
  readonly dates: CollateralDates
  readonly tcbEvaluationDataNumber: number
  readonly tcbInfo: TcbInfo
  readonly qeIdentity: QeIdentity
  readonly platform: PlatformTcbMatch
  readonly qe: QeTcbLevel
}

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex')

/**
 * Verifies TCB Info and QE Identity (signatures over the served bytes, issuer chains to the pinned
 * root, validity at `at`) and evaluates the quote's TCB the way Intel's QVL does.
 */
export function evaluateDcapCollateral(input: DcapCollateralInput): DcapTcbVerdict {
  const { at } = input
  const tcbSigner = verifyCollateralIssuerChain(input.tcbInfo.issuerChain, input.trust, at, 'TCB Info')
  const tcbInfo = verifiedTcbInfo(input.tcbInfo.body, tcbSigner)
  const qeSigner = verifyCollateralIssuerChain(input.qeIdentity.issuerChain, input.trust, at, 'QE Identity')
  const qeIdentity = verifiedQeIdentity(input.qeIdentity.body, qeSigner)

  let collateralExpired = false
  for (const [what, c] of [
    ['TCB Info', tcbInfo],
    ['QE Identity', qeIdentity],
  ] as const) {
    if (at < c.issueDate) {
      throw new VerificationError(
        'CERT_EXPIRED',
        `${what} is issued ${c.issueDate.toISOString()}, after ${at.toISOString()}`,
      )
    }
    if (at > c.nextUpdate) {
      if (input.rejectExpiredCollateral === true) {
        throw new VerificationError('CERT_EXPIRED', `${what} expired ${c.nextUpdate.toISOString()}`)
      }
      collateralExpired = true
    }
  }

  const expectedTcbId = input.tee === 'tdx' ? 'TDX' : 'SGX'
  if (tcbInfo.id !== expectedTcbId) {
    throw new VerificationError('COLLATERAL_INVALID', `TCB Info is for ${tcbInfo.id}, ${expectedTcbId} expected`)
  }
  if (tcbInfo.fmspc !== hex(input.pck.fmspc)) {
    throw new VerificationError(
      'COLLATERAL_INVALID',
      `TCB Info is for FMSPC ${tcbInfo.fmspc}, the PCK has ${hex(input.pck.fmspc)}`,
    )
  }
  if (tcbInfo.pceId !== hex(input.pck.pceId)) {
    throw new VerificationError(
      'COLLATERAL_INVALID',
      `TCB Info is for PCE-ID ${tcbInfo.pceId}, the PCK has ${hex(input.pck.pceId)}`,
    )
  }
  if (input.tee === 'tdx' && input.td === undefined) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'a TDX quote without TD report fields')
  }

  const platform = matchPlatformTcb(tcbInfo, input.pck, input.tee === 'tdx' ? input.td : undefined)
  const qe = matchQeIdentity(qeIdentity, input.qeReport, input.tee === 'tdx' ? 'TD_QE' : 'QE')
  const converged = convergeTcbStatus(platform.status, qe.tcbStatus)
  let status: QuoteTcbStatus = acceptedQuoteStatus(converged, 'quote')
  const qeCurrent = qe.tcbStatus !== 'OutOfDate' && qe.tcbStatus !== 'OutOfDateConfigurationNeeded'
  if (platform.relaunch !== undefined && qeCurrent) status = platform.relaunch

  // As Intel's QvE fills its supplemental data: the matched TCB Info level's date and advisories.
  const advisoryIds = [...new Set(platform.level.advisoryIds)]
  const [tcbPeriod, qePeriod, rootPeriod] = [validityOf(tcbSigner), validityOf(qeSigner), validityOf(input.trust.root)]
  const tcbIssued = tcbInfo.issueDate.getTime()
  const qeIssued = qeIdentity.issueDate.getTime()
  const issued = [tcbIssued, qeIssued, tcbPeriod.from, qePeriod.from, rootPeriod.from]
  const expiring = [tcbInfo.nextUpdate.getTime(), qeIdentity.nextUpdate.getTime(), tcbPeriod.to, qePeriod.to]
  const dates = {
    earliestIssue: new Date(Math.min(...issued)),
    latestIssue: new Date(Math.max(...issued)),
    earliestExpiration: new Date(Math.min(...expiring, rootPeriod.to)),
  }
  return {
    status,
    tcbDate: platform.level.tcbDate,
    advisoryIds,
    collateralExpired,
    dates,
    tcbEvaluationDataNumber: Math.min(tcbInfo.tcbEvaluationDataNumber, qeIdentity.tcbEvaluationDataNumber),
    tcbInfo,
    qeIdentity,
    platform,
    qe,
  }
}

/** Widens the dates with more collateral (PCK chain, PCK CRL, root CA CRL) the quote verifier checked. */
export function mergeCollateralDates(
  dates: CollateralDates,
  issued: readonly Date[],
  expiring: readonly Date[],
): CollateralDates {
  return {
    earliestIssue: minDate([dates.earliestIssue, ...issued]),
    latestIssue: maxDate([dates.latestIssue, ...issued]),
    earliestExpiration: minDate([dates.earliestExpiration, ...expiring]),
  }
}

/** RFC 3339 without fractions, as upstream's claims print times. */
export function claimTime(d: Date): string {
  const ms = d.getTime()
  let text = formattedTimes.get(ms)
  if (text === undefined) {
    text = `${d.toISOString().slice(0, -5)}Z` // toISOString always ends in .sssZ
    if (formattedTimes.size >= 256) formattedTimes.clear()
    formattedTimes.set(ms, text)
  }
  return text
}

/** Claim texts by epoch milliseconds: the collateral's dates repeat on every verification. */
const formattedTimes = new Map<number, string>()

/** The claims of the verdict that do not date the collateral: status, TCB date, advisories, evaluation number. */
export function tcbStatusClaims(verdict: DcapTcbVerdict): JsonObject {
  return {
    tcb_status: verdict.status,
    tcb_date: claimTime(verdict.tcbDate),
    advisory_ids: [...verdict.advisoryIds],
    tcb_eval_num: verdict.tcbEvaluationDataNumber,
  }
}

/**
 * The `tdx.*` / `sgx.*` claims this verdict decides, in upstream's names and encodings
 * (`collateral_expiration_status` is the string "0" or "1"). The quote verifier adds the PCK-derived ones.
 */
export function tcbVerdictClaims(
  verdict: DcapTcbVerdict,
  more: { readonly dates?: CollateralDates; readonly collateralExpired?: boolean } = {},
): JsonObject {
  const dates = more.dates ?? verdict.dates
  const expired = verdict.collateralExpired || more.collateralExpired === true
  return {
    tcb_status: verdict.status,
    tcb_date: claimTime(verdict.tcbDate),
    advisory_ids: [...verdict.advisoryIds],
    collateral_expiration_status: expired ? '1' : '0',
    earliest_issue_date: claimTime(dates.earliestIssue),
    latest_issue_date: claimTime(dates.latestIssue),
    earliest_expiration_date: claimTime(dates.earliestExpiration),
    tcb_eval_num: verdict.tcbEvaluationDataNumber,
  }
}

function minDate(ds: readonly Date[]): Date {
  return new Date(Math.min(...ds.map((d) => d.getTime())))
}

function maxDate(ds: readonly Date[]): Date {
  return new Date(Math.max(...ds.map((d) => d.getTime())))
}
