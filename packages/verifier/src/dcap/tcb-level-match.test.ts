import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import type { TcbInfo, TcbLevel } from './tcb-info.ts'
import { matchPlatformTcb } from './tcb-level-match.ts'
import { acceptedQuoteStatus, convergeTcbStatus, isAcceptedTcbStatus, type TcbLevelStatus } from './tcb-status.ts'

const zeros = (n: number): number[] => Array.from({ length: n }, () => 0)
const date = new Date('2024-01-01T00:00:00Z')
const level = (sgx: number, tdx: number[], tcbStatus: TcbLevelStatus): TcbLevel => ({
  sgxTcbComponents: [sgx, ...zeros(15)],
  pcesvn: 10,
  tdxTcbComponents: [...tdx, ...zeros(16 - tdx.length)],
  tcbDate: date,
  tcbStatus,
  advisoryIds: [],
})
const mrsigner = '00'.repeat(48)
const tdxInfo: TcbInfo = {
  id: 'TDX',
  version: 3,
  issueDate: date,
  nextUpdate: date,
  fmspc: '00'.repeat(6),
  pceId: '0000',
  tcbType: 0,
  tcbEvaluationDataNumber: 17,
  tdxModule: { mrsigner, attributes: '00'.repeat(8), attributesMask: 'ff'.repeat(8) },
  tdxModuleIdentities: [
    {
      id: 'TDX_03',
      mrsigner,
      attributes: '00'.repeat(8),
      attributesMask: 'ff'.repeat(8),
      tcbLevels: [
        { isvsvn: 5, tcbDate: date, tcbStatus: 'UpToDate', advisoryIds: [] },
        { isvsvn: 2, tcbDate: date, tcbStatus: 'OutOfDate', advisoryIds: ['INTEL-SA-1'] },
      ],
    },
  ],
  tcbLevels: [
    level(3, [0, 0, 4], 'UpToDate'),
    level(2, [0, 0, 2], 'ConfigurationNeeded'),
    level(1, [0, 0, 0], 'Revoked'),
  ],
}
const pck = (sgx: number) => ({
  fmspc: Buffer.alloc(6),
  pceId: Buffer.alloc(2),
  sgxTcbComponents: [sgx, ...zeros(15)],
  pcesvn: 10,
})
const td = (svn: number[], svn2?: number[]) => ({
  teeTcbSvn: Buffer.from([...svn, ...zeros(16 - svn.length)]),
  mrSignerSeam: Buffer.alloc(48),
  seamAttributes: Buffer.alloc(8),
  ...(svn2 === undefined ? {} : { teeTcbSvn2: Buffer.from([...svn2, ...zeros(16 - svn2.length)]) }),
})

describe('Intel TCB level matching', () => {
  test('TEE_TCB_SVN[0..1] are skipped when the module has an identity; the module identity judges them', () => {
    const m = matchPlatformTcb(tdxInfo, pck(3), td([5, 3, 4]))
    assert.equal(m.status, 'UpToDate')
    assert.equal(m.module?.identity.id, 'TDX_03')
  })
  test('an out-of-date module makes UpToDate OutOfDate and ConfigurationNeeded OutOfDateConfigurationNeeded', () => {
    assert.equal(matchPlatformTcb(tdxInfo, pck(3), td([2, 3, 4])).status, 'OutOfDate')
    assert.equal(matchPlatformTcb(tdxInfo, pck(2), td([2, 3, 2])).status, 'OutOfDateConfigurationNeeded')
  })
  test('non-zero SEAMATTRIBUTES are refused', () => {
    assert.throws(
      () =>
        matchPlatformTcb(tdxInfo, pck(3), { ...td([5, 3, 4]), seamAttributes: Buffer.from('0100000000000000', 'hex') }),
      {
        code: 'POLICY_VIOLATION',
      },
    )
  })
  test('a module below every level or of an unknown version is refused', () => {
    assert.throws(() => matchPlatformTcb(tdxInfo, pck(3), td([1, 3, 4])), { code: 'TCB_OUT_OF_DATE' })
    assert.throws(() => matchPlatformTcb(tdxInfo, pck(3), td([5, 4, 4])), { code: 'POLICY_VIOLATION' })
  })
  test('no matching level is "TCB not supported", never OutOfDate', () => {
    assert.throws(
      () => matchPlatformTcb(tdxInfo, pck(0), td([5, 3, 4])),
      (e: unknown) => e instanceof VerificationError && e.code === 'TCB_OUT_OF_DATE' && /not supported/.test(e.message),
    )
  })
  test('TDX 1.5 with TEE_TCB_SVN2 at the latest level: relaunch advised', () => {
    assert.equal(matchPlatformTcb(tdxInfo, pck(3), td([2, 3, 4], [5, 3, 4])).relaunch, 'TDRelaunchAdvised')
    assert.equal(
      matchPlatformTcb(tdxInfo, pck(2), td([2, 3, 2], [5, 3, 4])).relaunch,
      'TDRelaunchAdvisedConfigurationNeeded',
    )
    assert.equal(matchPlatformTcb(tdxInfo, pck(3), td([2, 3, 4], [2, 3, 4])).relaunch, undefined)
    assert.equal(matchPlatformTcb(tdxInfo, pck(3), td([2, 3, 4], [5, 3, 3])).relaunch, undefined)
    assert.equal(matchPlatformTcb(tdxInfo, pck(3), td([5, 3, 4], [5, 3, 4])).relaunch, undefined)
  })
  test('a revoked level is matched and then rejected', () => {
    const m = matchPlatformTcb(tdxInfo, pck(1), td([5, 3, 0]))
    assert.equal(m.status, 'Revoked')
    assert.throws(() => acceptedQuoteStatus(m.status, 'quote'), { code: 'TCB_OUT_OF_DATE' })
  })
})

describe('status convergence with the QE', () => {
  test('Intel’s table', () => {
    assert.equal(convergeTcbStatus('UpToDate', 'UpToDate'), 'UpToDate')
    assert.equal(convergeTcbStatus('SWHardeningNeeded', 'UpToDate'), 'SWHardeningNeeded')
    assert.equal(convergeTcbStatus('UpToDate', 'OutOfDate'), 'OutOfDate')
    assert.equal(convergeTcbStatus('ConfigurationNeeded', 'OutOfDate'), 'OutOfDateConfigurationNeeded')
    assert.equal(convergeTcbStatus('ConfigurationAndSWHardeningNeeded', 'OutOfDate'), 'OutOfDateConfigurationNeeded')
    assert.equal(convergeTcbStatus('UpToDate', 'Revoked'), 'Revoked')
  })
  test('the accepted set is upstream’s: everything but Revoked', () => {
    for (const s of ['UpToDate', 'OutOfDate', 'OutOfDateConfigurationNeeded', 'TDRelaunchAdvised']) {
      assert.equal(isAcceptedTcbStatus(s), true)
    }
    assert.equal(isAcceptedTcbStatus('Revoked'), false)
    assert.equal(isAcceptedTcbStatus('Bogus'), false)
  })
})
