import { CollateralFields } from './collateral-fields.ts'
import { splitSignedCollateral, type SignedCollateralJson } from './collateral-signed-json.ts'
import { isTcbLevelStatus, type TcbLevelStatus } from './tcb-status.ts'

/** One platform TCB level of an Intel TCB Info (v2: SGX only; v3: SGX or TDX). */
export interface TcbLevel {
  /** The 16 SGX TCB component SVNs, in CPUSVN order. */
  readonly sgxTcbComponents: readonly number[]
  readonly pcesvn: number
  /** TDX only: the 16 TEE TCB SVN components. */
  readonly tdxTcbComponents?: readonly number[]
  readonly tcbDate: Date
  readonly tcbStatus: TcbLevelStatus
  readonly advisoryIds: readonly string[]
}

/** A TCB level of a TDX module identity: the module's SVN (TEE_TCB_SVN[0]). */
export interface TdxModuleTcbLevel {
  readonly isvsvn: number
  readonly tcbDate: Date
  readonly tcbStatus: TcbLevelStatus
  readonly advisoryIds: readonly string[]
}

export interface TdxModule {
  /** 48-byte hex, lower case. */
  readonly mrsigner: string
  /** 8-byte hex, lower case. */
  readonly attributes: string
  readonly attributesMask: string
}

export interface TdxModuleIdentity extends TdxModule {
  /** `TDX_01`, `TDX_03`, …: the module's major version, TEE_TCB_SVN[1]. */
  readonly id: string
  readonly tcbLevels: readonly TdxModuleTcbLevel[]
}

export interface TcbInfo {
  readonly id: 'SGX' | 'TDX'
  readonly version: 2 | 3
  readonly issueDate: Date
  readonly nextUpdate: Date
  /** 6-byte hex, lower case. */
  readonly fmspc: string
  /** 2-byte hex, lower case. */
  readonly pceId: string
  readonly tcbType: number
  readonly tcbEvaluationDataNumber: number
  readonly tdxModule?: TdxModule
  readonly tdxModuleIdentities?: readonly TdxModuleIdentity[]
  /** In the order served: Intel lists them from the highest TCB down. */
  readonly tcbLevels: readonly TcbLevel[]
}

export interface SignedTcbInfo extends Omit<SignedCollateralJson, 'body'> {
  readonly tcbInfo: TcbInfo
}

/** Parses a PCS `/{sgx,tdx}/certification/v4/tcb` body (`{"tcbInfo":…,"signature":…}`); signature not checked. */
export function parseTcbInfoResponse(body: Uint8Array): SignedTcbInfo {
  const signed = splitSignedCollateral(body, 'tcbInfo', 'TCB Info')
  return { signedBytes: signed.signedBytes, signature: signed.signature, tcbInfo: parseTcbInfo(signed.body) }
}

export function parseTcbInfo(value: unknown): TcbInfo {
  const f = new CollateralFields(value, 'tcbInfo')
  const version = f.uint('version')
  if (version !== 2 && version !== 3) throw f.fail('version', `${String(version)} is not supported (2 or 3)`)
  const id = version === 2 ? 'SGX' : f.string('id')
  if (id !== 'SGX' && id !== 'TDX') throw f.fail('id', `"${id}" is not SGX or TDX`)
  const tcbType = f.uint('tcbType')
  if (tcbType !== 0) throw f.fail('tcbType', `${String(tcbType)} is not supported`)
  const levels = f.array('tcbLevels').map((l, i) => parseTcbLevel(l, `tcbInfo.tcbLevels[${String(i)}]`, version, id))
  if (levels.length === 0) throw f.fail('tcbLevels', 'is empty')
  const tdx = id === 'TDX'
  return {
    id,
    version,
    issueDate: f.date('issueDate'),
    nextUpdate: f.date('nextUpdate'),
    fmspc: f.hex('fmspc', 6),
    pceId: f.hex('pceId', 2),
    tcbType,
    tcbEvaluationDataNumber: f.uint('tcbEvaluationDataNumber'),
    ...(tdx ? { tdxModule: parseTdxModule(f.object('tdxModule')) } : {}),
    ...(tdx && f.has('tdxModuleIdentities')
      ? {
          tdxModuleIdentities: f
            .array('tdxModuleIdentities')
            .map((m, i) => parseModuleIdentity(new CollateralFields(m, `tcbInfo.tdxModuleIdentities[${String(i)}]`))),
        }
      : {}),
    tcbLevels: levels,
  }
}

function parseTdxModule(f: CollateralFields): TdxModule {
  return {
    mrsigner: f.hex('mrsigner', 48),
    attributes: f.hex('attributes', 8),
    attributesMask: f.hex('attributesMask', 8),
  }
}

function parseModuleIdentity(f: CollateralFields): TdxModuleIdentity {
  return {
    id: f.string('id'),
    ...parseTdxModule(f),
    tcbLevels: f.array('tcbLevels').map((l, i) => {
      const level = new CollateralFields(l, `tcbLevels[${String(i)}]`)
      return { isvsvn: level.object('tcb').uint('isvsvn'), ...levelVerdict(level) }
    }),
  }
}

function levelVerdict(f: CollateralFields): Pick<TcbLevel, 'tcbDate' | 'tcbStatus' | 'advisoryIds'> {
  const status = f.string('tcbStatus')
  if (!isTcbLevelStatus(status)) throw f.fail('tcbStatus', `"${status}" is not a TCB status`)
  return { tcbDate: f.date('tcbDate'), tcbStatus: status, advisoryIds: f.stringArray('advisoryIDs') }
}

function parseTcbLevel(value: unknown, what: string, version: 2 | 3, id: 'SGX' | 'TDX'): TcbLevel {
  const f = new CollateralFields(value, what)
  const tcb = f.object('tcb')
  let sgx: number[]
  let tdx: number[] | undefined
  if (version === 2) {
    sgx = Array.from({ length: 16 }, (_, i) => tcb.uint(`sgxtcbcomp${String(i + 1).padStart(2, '0')}svn`))
  } else {
    sgx = componentSvns(tcb, 'sgxtcbcomponents')
    if (id === 'TDX') tdx = componentSvns(tcb, 'tdxtcbcomponents')
  }
  return {
    sgxTcbComponents: sgx,
    pcesvn: tcb.uint('pcesvn'),
    ...(tdx === undefined ? {} : { tdxTcbComponents: tdx }),
    ...levelVerdict(f),
  }
}

function componentSvns(tcb: CollateralFields, field: string): number[] {
  const list = tcb.array(field)
  if (list.length !== 16) throw tcb.fail(field, 'does not have 16 components')
  return list.map((c, i) => new CollateralFields(c, `${field}[${String(i)}]`).uint('svn'))
}
