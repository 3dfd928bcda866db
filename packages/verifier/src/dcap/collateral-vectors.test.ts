import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { VerificationError } from '../verifier.ts'
import { evaluateDcapCollateral, tcbVerdictClaims, type DcapCollateralInput } from './collateral-evaluate.ts'

const dir = new URL('../../fixtures/dcap-collateral/', import.meta.url)
const file = (path: string): Buffer => readFileSync(new URL(path, dir))
const text = (path: string): string => file(path).toString('utf8')

interface Case {
  readonly id: string
  readonly collateral: string
  readonly tcbInfo: string
  readonly at: string
  readonly input: {
    readonly tee: 'sgx' | 'tdx'
    readonly pck: { fmspc: string; pceId: string; sgxTcbComponents: number[]; pcesvn: number }
    readonly qeReport: { miscselect: string; attributes: string; mrsigner: string; isvprodid: number; isvsvn: number }
    readonly td?: { teeTcbSvn: string; mrSignerSeam: string; seamAttributes: string; teeTcbSvn2?: string }
  }
  readonly expected: { status: string; advisoryIds?: string[]; tcbDate?: string }
}

const cases = JSON.parse(text('cases.json')) as Case[]
const root = new X509Certificate(file('intel-sgx-root-ca.der'))
const h = (s: string): Buffer => Buffer.from(s, 'hex')

export function caseInput(c: Case, overrides: Partial<DcapCollateralInput> = {}): DcapCollateralInput {
  const d = `${c.collateral}/`
  const td = c.input.td
  return {
    tee: c.input.tee,
    tcbInfo: { body: file(d + c.tcbInfo), issuerChain: text(`${d}tcb-info-issuer-chain.pem`) },
    qeIdentity: { body: file(`${d}qe-identity.json`), issuerChain: text(`${d}qe-identity-issuer-chain.pem`) },
    trust: { root },
    at: new Date(c.at),
    pck: { ...c.input.pck, fmspc: h(c.input.pck.fmspc), pceId: h(c.input.pck.pceId) },
    qeReport: {
      ...c.input.qeReport,
      miscselect: h(c.input.qeReport.miscselect),
      attributes: h(c.input.qeReport.attributes),
      mrsigner: h(c.input.qeReport.mrsigner),
    },
    ...(td === undefined
      ? {}
      : {
          td: {
            teeTcbSvn: h(td.teeTcbSvn),
            mrSignerSeam: h(td.mrSignerSeam),
            seamAttributes: h(td.seamAttributes),
            ...(td.teeTcbSvn2 === undefined ? {} : { teeTcbSvn2: h(td.teeTcbSvn2) }),
          },
        }),
    ...overrides,
  }
}

describe('DCAP collateral: real quotes’ TCB against real Intel collateral (fixtures/dcap-collateral/cases.json)', () => {
  for (const c of cases) {
    test(`${c.id}: ${c.expected.status}`, () => {
      if (c.expected.status === 'TcbLevelNotFound') {
        assert.throws(
          () => evaluateDcapCollateral(caseInput(c)),
          (e: unknown) =>
            e instanceof VerificationError && e.code === 'TCB_OUT_OF_DATE' && /no matching TCB level/.test(e.message),
        )
        return
      }
      const verdict = evaluateDcapCollateral(caseInput(c))
      assert.equal(verdict.status, c.expected.status)
      assert.equal(verdict.collateralExpired, false)
      if (c.expected.advisoryIds !== undefined) assert.deepEqual(verdict.advisoryIds, c.expected.advisoryIds)
      if (c.expected.tcbDate !== undefined) assert.equal(tcbVerdictClaims(verdict)['tcb_date'], c.expected.tcbDate)
    })
  }
})
