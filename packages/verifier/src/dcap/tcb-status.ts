import { VerificationError } from '../verifier.ts'

/** A TCB level's status as Intel's TCB Info / QE Identity JSON spells it. */
export type TcbLevelStatus =
  | 'UpToDate'
  | 'SWHardeningNeeded'
  | 'ConfigurationNeeded'
  | 'ConfigurationAndSWHardeningNeeded'
  | 'OutOfDate'
  | 'OutOfDateConfigurationNeeded'
  | 'Revoked'

/**
 * The verdict of a whole quote, spelled as upstream's `tcb_status` claim (Intel's `sgx_ql_qv_result_t`
 * names mapped the way trustee maps them). Revoked never becomes a claim: it is rejected.
 */
export type QuoteTcbStatus =
  | 'UpToDate'
  | 'SWHardeningNeeded'
  | 'ConfigurationNeeded'
  | 'ConfigurationAndSWHardeningNeeded'
  | 'OutOfDate'
  | 'OutOfDateConfigurationNeeded'
  | 'TDRelaunchAdvised'
  | 'TDRelaunchAdvisedConfigurationNeeded'

const LEVEL_STATUSES: readonly TcbLevelStatus[] = [
  'UpToDate',
  'SWHardeningNeeded',
  'ConfigurationNeeded',
  'ConfigurationAndSWHardeningNeeded',
  'OutOfDate',
  'OutOfDateConfigurationNeeded',
  'Revoked',
]

export function isTcbLevelStatus(value: unknown): value is TcbLevelStatus {
  return typeof value === 'string' && (LEVEL_STATUSES as readonly string[]).includes(value)
}

/** The statuses upstream accepts (everything Intel's QVL returns as a non-terminal result). */
export function isAcceptedTcbStatus(status: string): status is QuoteTcbStatus {
  return status !== 'Revoked' && (isTcbLevelStatus(status) || status.startsWith('TDRelaunchAdvised'))
}

/**
 * Intel's convergence of the platform (TCB Info) status with the QE Identity status: an out-of-date
 * QE makes the quote out of date (keeping "configuration needed" from the platform); a revoked
 * one revokes it.
 */
export function convergeTcbStatus(platform: TcbLevelStatus, qe: TcbLevelStatus): TcbLevelStatus {
  if (qe === 'Revoked' || platform === 'Revoked') return 'Revoked'
  if (qe === 'OutOfDate' || qe === 'OutOfDateConfigurationNeeded') {
    return platform === 'ConfigurationNeeded' ||
      platform === 'ConfigurationAndSWHardeningNeeded' ||
      platform === 'OutOfDateConfigurationNeeded'
      ? 'OutOfDateConfigurationNeeded'
      : 'OutOfDate'
  }
  return platform
}

/** Rejects what upstream rejects: a revoked TCB (platform, TDX module or QE) is `TCB_OUT_OF_DATE`. */
export function acceptedQuoteStatus(status: TcbLevelStatus | QuoteTcbStatus, what: string): QuoteTcbStatus {
  if (!isAcceptedTcbStatus(status)) {
    throw new VerificationError('TCB_OUT_OF_DATE', `${what}: TCB status ${status} is not accepted`)
  }
  return status
}
