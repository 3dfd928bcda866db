import { VerificationError } from '../verifier.ts'
import type { TcbInfo, TcbLevel, TdxModule, TdxModuleIdentity, TdxModuleTcbLevel } from './tcb-info.ts'
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
  /**
   * TDX 1.5 (TEE_TCB_SVN2 given): the TD runs an out-of-date module but TEE_TCB_SVN2 is at the
   * latest level, so relaunching it would bring it up to date. Applies only while the QE is not out
   * of date (the caller checks that).
   */
  readonly relaunch?: 'TDRelaunchAdvised' | 'TDRelaunchAdvisedConfigurationNeeded'
}

const notSupported = (detail: string): VerificationError =>
  new VerificationError('TCB_OUT_OF_DATE', `TCB not supported: ${detail}`)

function sgxMatches(level: TcbLevel, pck: PckTcb): boolean {
  const comps = level.sgxTcbComponents
  for (let i = 0; i < comps.length; i++) if ((pck.sgxTcbComponents[i] ?? -1) < (comps[i] ?? 0)) return false
  return pck.pcesvn >= level.pcesvn
}

/**
 * Intel: TEE_TCB_SVN[0..1] are the TDX module's SVN and version when the module has its own identity
 * (TEE_TCB_SVN[1] > 0); the module identity judges them, so the level comparison skips them then.
 */
function tdxMatches(level: TcbLevel, teeTcbSvn: Uint8Array): boolean {
  const comps = level.tdxTcbComponents
  if (comps === undefined) return false
  const start = (teeTcbSvn[1] ?? 0) > 0 ? 2 : 0
  for (let i = start; i < 16; i++) if ((teeTcbSvn[i] ?? 0) < (comps[i] ?? 0)) return false
  return true
}

function moduleMismatch(detail: string): VerificationError {
  return new VerificationError('POLICY_VIOLATION', `TDX module does not match the TCB Info: ${detail}`)
}

function moduleIdentity(tcbInfo: TcbInfo, version: number): TdxModuleIdentity {
  const identities = tcbInfo.tdxModuleIdentities
  if (identities === undefined) {
    throw new VerificationError('COLLATERAL_INVALID', 'TDX TCB Info has no tdxModuleIdentities for a TDX 1.5 module')
  }
  const id = `TDX_${version.toString(16).padStart(2, '0').toUpperCase()}`
  const identity = identities.find((m) => m.id.toUpperCase() === id)
  if (identity === undefined) throw moduleMismatch(`no module identity ${id}`)
  return identity
}

/** A module's expected MRSIGNER and attributes as bytes, decoded once per (remembered) TCB Info object. */
const moduleDecoded = new WeakMap<TdxModule, { mrsigner: Buffer; attributes: Buffer }>()

function moduleBytes(module: TdxModule): {
  mrsigner: Buffer
  attributes: Buffer
} {
  let bytes = moduleDecoded.get(module)
  if (bytes === undefined) {
    bytes = { mrsigner: Buffer.from(module.mrsigner, 'hex'), attributes: Buffer.from(module.attributes, 'hex') }
    moduleDecoded.set(module, bytes)
  }
  return bytes
}

/**
 * Intel's TDX module check: MRSIGNER_SEAM equals the module signer and SEAMATTRIBUTES are zero and
 * equal the module's attributes; a versioned module (TEE_TCB_SVN[1] > 0) is judged by its identity
 * `TDX_<version>` and the first of its levels at or below its SVN. TDX 1.0 modules: undefined.
 */
function matchTdxModule(tcbInfo: TcbInfo, td: TdTcb): PlatformTcbMatch['module'] {
  const version = td.teeTcbSvn[1] ?? 0
  const base = tcbInfo.tdxModule
  if (base === undefined) throw new VerificationError('COLLATERAL_INVALID', 'TDX TCB Info has no tdxModule')
  const identity = version === 0 ? undefined : moduleIdentity(tcbInfo, version)
  const expected = identity ?? base
  const bytes = moduleBytes(expected)
  if (!bytes.mrsigner.equals(td.mrSignerSeam)) throw moduleMismatch('MRSIGNER_SEAM')
  if (td.seamAttributes.some((b) => b !== 0) || !bytes.attributes.equals(td.seamAttributes)) {
    throw moduleMismatch('SEAMATTRIBUTES')
  }
  if (identity === undefined) return undefined
  const svn = td.teeTcbSvn[0] ?? 0
  const level = identity.tcbLevels.find((l) => svn >= l.isvsvn)
  if (level === undefined) throw notSupported(`TDX module ${identity.id} SVN ${String(svn)} is below every level`)
  return { identity, level }
}

/** Intel's convergence of the platform status with the TDX module's. */
function foldModuleStatus(platform: TcbLevelStatus, module: TcbLevelStatus): TcbLevelStatus {
  if (module === 'Revoked') return 'Revoked'
  if (module === 'OutOfDate') {
    if (platform === 'ConfigurationNeeded' || platform === 'ConfigurationAndSWHardeningNeeded') {
      return 'OutOfDateConfigurationNeeded'
    }
    if (platform === 'UpToDate' || platform === 'SWHardeningNeeded') return 'OutOfDate'
  }
  return platform
}

const outOfDate = (s: TcbLevelStatus): boolean => s === 'OutOfDate' || s === 'OutOfDateConfigurationNeeded'
const configurationNeeded = (s: TcbLevelStatus): boolean =>
  s === 'ConfigurationNeeded' || s === 'ConfigurationAndSWHardeningNeeded' || s === 'OutOfDateConfigurationNeeded'

/** Intel's TD relaunch rule for TDX 1.5 quotes (TEE_TCB_SVN2 against the latest level). */
function relaunchAdvice(
  tcbInfo: TcbInfo,
  sgxStatus: TcbLevelStatus,
  status: TcbLevelStatus,
  module: PlatformTcbMatch['module'],
  svn2: Uint8Array,
): PlatformTcbMatch['relaunch'] {
  if (outOfDate(sgxStatus) || sgxStatus === 'Revoked' || !outOfDate(status)) return undefined
  if (module?.level.tcbStatus !== 'OutOfDate') return undefined
  const latest = tcbInfo.tcbLevels[0]?.tdxTcbComponents
  if (latest === undefined) return undefined
  const version2 = svn2[1] ?? 0
  const moduleSvnNeeded =
    version2 === 0 ? (latest[0] ?? 0) : (moduleIdentity(tcbInfo, version2).tcbLevels[0]?.isvsvn ?? Infinity)
  if ((svn2[0] ?? 0) < moduleSvnNeeded || (svn2[2] ?? 0) < (latest[2] ?? 0)) return undefined
  return configurationNeeded(sgxStatus) || configurationNeeded(status)
    ? 'TDRelaunchAdvisedConfigurationNeeded'
    : 'TDRelaunchAdvised'
}

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
  if (tcbInfo.id === 'SGX') return { level: sgxLevel, status: sgxLevel.tcbStatus, sgxStatus: sgxLevel.tcbStatus }
  if (td === undefined) throw new VerificationError('COLLATERAL_INVALID', 'a TDX TCB Info was given for an SGX quote')
  if (td.teeTcbSvn.length !== 16) throw new VerificationError('EVIDENCE_MALFORMED', 'TEE_TCB_SVN is not 16 bytes')
  const level = tcbInfo.tcbLevels.find((l) => sgxMatches(l, pck) && tdxMatches(l, td.teeTcbSvn))
  if (level === undefined) {
    throw notSupported('no TCB level matches the PCK certificate and TEE_TCB_SVN (no matching TCB level)')
  }
  const module = matchTdxModule(tcbInfo, td)
  const status = module === undefined ? level.tcbStatus : foldModuleStatus(level.tcbStatus, module.level.tcbStatus)
  const relaunch =
    td.teeTcbSvn2 === undefined ? undefined : relaunchAdvice(tcbInfo, sgxLevel.tcbStatus, status, module, td.teeTcbSvn2)
  return {
    level,
    status,
    sgxStatus: sgxLevel.tcbStatus,
    ...(module === undefined ? {} : { module }),
    ...(relaunch === undefined ? {} : { relaunch }),
  }
}
