import { VerificationError } from '../verifier.ts'
import type { TcbInfo, TcbLevel, TdxModuleIdentity, TdxModuleTcbLevel } from './tcb-info.ts'
import type { PckTcb, TdTcb } from './tcb-inputs.ts'
import type { TcbLevelStatus } from './tcb-status.ts'

/** The platform part of a TCB verdict: the matched level (and, for TDX 1.5, the module's level). */
export interface PlatformTcbMatch {
  readonly level: TcbLevel
  /** The status after folding in the TDX module's status. */
  readonly status: TcbLevelStatus
  /** The status of the first level matched on the SGX components and PCESVN alone. */
  readonly sgxStatus: TcbLevelStatus
  readonly module?: { readonly identity: TdxModuleIdentity; readonly level: TdxModuleTcbLevel }
  /** TDX 1.5: the TD would match the latest TCB if relaunched (TEE_TCB_SVN2 is at the latest level). */
  readonly relaunchAdvised: boolean
}

const notSupported = (detail: string): VerificationError =>
  new VerificationError('TCB_OUT_OF_DATE', `TCB not supported: ${detail}`)

function sgxMatches(level: TcbLevel, pck: PckTcb): boolean {
  return level.sgxTcbComponents.every((svn, i) => (pck.sgxTcbComponents[i] ?? -1) >= svn) && pck.pcesvn >= level.pcesvn
}

/**
 * Intel: TEE_TCB_SVN[0..1] are the TDX module's SVN and version when the module has its own identity
 * (TEE_TCB_SVN[1] > 0); the module identity judges them, so the level comparison skips them.
 */
function tdxMatches(level: TcbLevel, teeTcbSvn: Uint8Array, hasModuleIdentities: boolean): boolean {
  const comps = level.tdxTcbComponents
  if (comps === undefined) return false
  const start = hasModuleIdentities && (teeTcbSvn[1] ?? 0) > 0 ? 2 : 0
  for (let i = start; i < 16; i++) if ((teeTcbSvn[i] ?? 0) < (comps[i] ?? 0)) return false
  return true
}

function maskedEqual(a: Uint8Array, expectedHex: string, maskHex: string): boolean {
  const e = Buffer.from(expectedHex, 'hex')
  const m = Buffer.from(maskHex, 'hex')
  if (a.length !== e.length || m.length !== e.length) return false
  return a.every((byte, i) => (byte & (m[i] ?? 0)) === ((e[i] ?? 0) & (m[i] ?? 0)))
}

function moduleMismatch(detail: string): VerificationError {
  return new VerificationError('POLICY_VIOLATION', `TDX module does not match the TCB Info: ${detail}`)
}

/** The TDX module identity (TDX 1.5) and its level at the module's SVN; undefined for TDX 1.0 modules. */
function matchTdxModule(tcbInfo: TcbInfo, td: TdTcb): PlatformTcbMatch['module'] {
  const base = tcbInfo.tdxModule
  const version = td.teeTcbSvn[1] ?? 0
  const identities = tcbInfo.tdxModuleIdentities
  if (version === 0 || identities === undefined) {
    if (base === undefined) throw new VerificationError('COLLATERAL_INVALID', 'TDX TCB Info has no tdxModule')
    if (Buffer.from(td.mrSignerSeam).toString('hex') !== base.mrsigner) throw moduleMismatch('MRSIGNER_SEAM')
    if (!maskedEqual(td.seamAttributes, base.attributes, base.attributesMask)) throw moduleMismatch('SEAMATTRIBUTES')
    return undefined
  }
  const id = `TDX_${version.toString(16).padStart(2, '0').toUpperCase()}`
  const identity = identities.find((m) => m.id.toUpperCase() === id)
  if (identity === undefined) throw moduleMismatch(`no module identity ${id}`)
  if (Buffer.from(td.mrSignerSeam).toString('hex') !== identity.mrsigner) throw moduleMismatch(`${id} MRSIGNER_SEAM`)
  if (!maskedEqual(td.seamAttributes, identity.attributes, identity.attributesMask)) {
    throw moduleMismatch(`${id} SEAMATTRIBUTES`)
  }
  const svn = td.teeTcbSvn[0] ?? 0
  const level = identity.tcbLevels.find((l) => svn >= l.isvsvn)
  if (level === undefined) throw notSupported(`TDX module ${id} SVN ${String(svn)} is below every level`)
  return { identity, level }
}

/** Intel's convergence of the platform status with the TDX module's. */
function foldModuleStatus(platform: TcbLevelStatus, module: TcbLevelStatus): TcbLevelStatus {
  if (module === 'Revoked') return 'Revoked'
  if (module === 'OutOfDate' || module === 'OutOfDateConfigurationNeeded') {
    if (platform === 'ConfigurationNeeded' || platform === 'ConfigurationAndSWHardeningNeeded') {
      return 'OutOfDateConfigurationNeeded'
    }
    if (platform === 'UpToDate' || platform === 'SWHardeningNeeded') return 'OutOfDate'
  }
  return platform
}

const outOfDate = (s: TcbLevelStatus): boolean => s === 'OutOfDate' || s === 'OutOfDateConfigurationNeeded'

/**
 * Intel's TCB level matching: the first level (highest first) whose SGX components and PCESVN the PCK
 * certificate reaches and, for TDX, whose TDX components TEE_TCB_SVN reaches. No level: the TCB is
 * not supported (`TCB_OUT_OF_DATE`), never a fall-back to OutOfDate.
 */
export function matchPlatformTcb(tcbInfo: TcbInfo, pck: PckTcb, td?: TdTcb): PlatformTcbMatch {
  if (pck.sgxTcbComponents.length !== 16) {
    throw new VerificationError('EVIDENCE_MALFORMED', 'the PCK certificate does not carry 16 SGX TCB components')
  }
  const sgxLevel = tcbInfo.tcbLevels.find((l) => sgxMatches(l, pck))
  if (sgxLevel === undefined) throw notSupported('no TCB level matches the PCK certificate (no matching TCB level)')
  if (tcbInfo.id === 'SGX') {
    return { level: sgxLevel, status: sgxLevel.tcbStatus, sgxStatus: sgxLevel.tcbStatus, relaunchAdvised: false }
  }
  if (td === undefined) throw new VerificationError('COLLATERAL_INVALID', 'a TDX TCB Info was given for an SGX quote')
  if (td.teeTcbSvn.length !== 16) throw new VerificationError('EVIDENCE_MALFORMED', 'TEE_TCB_SVN is not 16 bytes')
  const hasIdentities = tcbInfo.tdxModuleIdentities !== undefined
  const module = matchTdxModule(tcbInfo, td)
  const level = tcbInfo.tcbLevels.find((l) => sgxMatches(l, pck) && tdxMatches(l, td.teeTcbSvn, hasIdentities))
  if (level === undefined)
    throw notSupported('no TCB level matches the PCK certificate and TEE_TCB_SVN (no matching TCB level)')
  const status = module === undefined ? level.tcbStatus : foldModuleStatus(level.tcbStatus, module.level.tcbStatus)
  const latest = tcbInfo.tcbLevels[0]
  const svn2 = td.teeTcbSvn2
  const relaunchAdvised =
    svn2 !== undefined &&
    latest !== undefined &&
    outOfDate(status) &&
    !outOfDate(sgxLevel.tcbStatus) &&
    sgxLevel.tcbStatus !== 'Revoked' &&
    tdxMatches(latest, svn2, hasIdentities) &&
    (module === undefined || (svn2[0] ?? 0) >= (module.identity.tcbLevels[0]?.isvsvn ?? Infinity))
  return {
    level,
    status,
    sgxStatus: sgxLevel.tcbStatus,
    ...(module === undefined ? {} : { module }),
    relaunchAdvised,
  }
}
