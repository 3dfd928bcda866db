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
  /** A root other than Intel's (the synthetic test PKI case). */
  readonly root?: string
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

function caseInput(c: Case, overrides: Partial<DcapCollateralInput> = {}): DcapCollateralInput {
  const d = `${c.collateral}/`
  const td = c.input.td
  return {
    tee: c.input.tee,
    tcbInfo: { body: file(d + c.tcbInfo), issuerChain: text(`${d}tcb-info-issuer-chain.pem`) },
    qeIdentity: { body: file(`${d}qe-identity.json`), issuerChain: text(`${d}qe-identity-issuer-chain.pem`) },
    trust: { root: c.root === undefined ? root : new X509Certificate(file(c.root)) },
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

const byId = (id: string): Case => {
  const c = cases.find((x) => x.id === id)
  assert.ok(c)
  return c
}
const rejects = (input: DcapCollateralInput, code: string, message?: RegExp): void => {
  assert.throws(
    () => evaluateDcapCollateral(input),
    (e: unknown) =>
      e instanceof VerificationError && e.code === code && (message === undefined || message.test(e.message)),
  )
}

describe('DCAP collateral: each failed check has its own code', () => {
  const c = byId('QVL-TDX')
  const good = caseInput(c)

  test('a changed byte of the signed TCB Info or QE Identity: COLLATERAL_INVALID', () => {
    const tcb = Buffer.from(good.tcbInfo.body)
    const at = tcb.indexOf('"tcbEvaluationDataNumber":17')
    tcb.write('18', at + '"tcbEvaluationDataNumber":'.length)
    rejects({ ...good, tcbInfo: { ...good.tcbInfo, body: tcb } }, 'COLLATERAL_INVALID', /TCB Info signature/)
    const qe = Buffer.from(good.qeIdentity.body)
    qe.write('1', qe.indexOf('"isvprodid":2') + '"isvprodid":'.length)
    rejects({ ...good, qeIdentity: { ...good.qeIdentity, body: qe } }, 'COLLATERAL_INVALID', /QE Identity signature/)
  })

  test('re-formatted JSON (teekit pretty-printed TCB Info) fails the signature', () => {
    const tk = caseInput(byId('A-TK-TDX phala'))
    const body = file('teekit-tdx/pretty-printed-sgx-tcb-info.json')
    rejects({ ...tk, tee: 'sgx', tcbInfo: { ...tk.tcbInfo, body } }, 'COLLATERAL_INVALID', /signature/)
  })

  test('garbage, truncated and member-less bodies: COLLATERAL_INVALID', () => {
    for (const body of [
      Buffer.from('garbage'),
      good.tcbInfo.body.subarray(0, 100),
      Buffer.from('{"signature":"00"}'),
    ]) {
      rejects({ ...good, tcbInfo: { ...good.tcbInfo, body } }, 'COLLATERAL_INVALID')
    }
  })

  test('a chain to another root: CERT_UNTRUSTED_ROOT; a chain missing its signer: CERT_CHAIN_INVALID', () => {
    const signing = new X509Certificate(good.tcbInfo.issuerChain)
    rejects({ ...good, trust: { root: signing } }, 'CERT_UNTRUSTED_ROOT')
    const rootOnly = good.tcbInfo.issuerChain.slice(good.tcbInfo.issuerChain.indexOf('-----END CERTIFICATE-----') + 25)
    rejects({ ...good, tcbInfo: { ...good.tcbInfo, issuerChain: rootOnly } }, 'CERT_CHAIN_INVALID')
  })

  test('collateral signed under Intel’s synthetic test PKI, judged against the real Intel root: CERT_UNTRUSTED_ROOT', () => {
    rejects({ ...caseInput(byId('IQVL-SGX')), trust: { root } }, 'CERT_UNTRUSTED_ROOT')
  })

  test('a chain whose leaf is a CA (the PCK CRL issuer chain): CERT_CHAIN_INVALID', () => {
    const issuerChain = text('qvl-tdx/pck-crl-issuer-chain.pem')
    rejects({ ...good, tcbInfo: { ...good.tcbInfo, issuerChain } }, 'CERT_CHAIN_INVALID', /may not sign/)
  })

  test('the TCB Signing certificate on the root CA CRL: CERT_REVOKED', () => {
    const signing = new X509Certificate(good.tcbInfo.issuerChain)
    rejects({ ...good, trust: { root, rootCrlRevokedSerials: new Set([signing.serialNumber]) } }, 'CERT_REVOKED')
  })

  test('certificates outside their validity, collateral not yet issued: CERT_EXPIRED', () => {
    rejects({ ...good, at: new Date('2053-07-01T01:00:00Z') }, 'CERT_EXPIRED', /certificate/)
    rejects({ ...good, at: new Date('2025-06-01T00:00:00Z') }, 'CERT_EXPIRED', /issued/)
  })

  test('collateral past nextUpdate is reported as collateral_expiration_status "1", or rejected on request', () => {
    const later = { ...good, at: new Date('2025-08-01T00:00:00Z') }
    const verdict = evaluateDcapCollateral(later)
    assert.equal(verdict.collateralExpired, true)
    assert.equal(tcbVerdictClaims(verdict)['collateral_expiration_status'], '1')
    assert.equal(tcbVerdictClaims(evaluateDcapCollateral(good))['collateral_expiration_status'], '0')
    rejects({ ...later, rejectExpiredCollateral: true }, 'CERT_EXPIRED', /expired/)
  })

  test('with the same collateral already verified, time and revocation are still judged per call', () => {
    assert.equal(evaluateDcapCollateral(good).status, 'UpToDate')
    rejects({ ...good, at: new Date('2053-07-01T01:00:00Z') }, 'CERT_EXPIRED')
    const signing = new X509Certificate(good.tcbInfo.issuerChain)
    rejects({ ...good, trust: { root, rootCrlRevokedSerials: new Set([signing.serialNumber]) } }, 'CERT_REVOKED')
    assert.equal(evaluateDcapCollateral(good).status, 'UpToDate')
  })

  test('collateral for another FMSPC or TEE: COLLATERAL_INVALID', () => {
    rejects({ ...good, pck: { ...good.pck, fmspc: Buffer.from('00806f050000', 'hex') } }, 'COLLATERAL_INVALID', /FMSPC/)
    rejects({ ...good, tee: 'sgx' }, 'COLLATERAL_INVALID', /TDX, SGX expected/)
  })

  test('a QE that is not the identity: POLICY_VIOLATION; below every QE level: TCB_OUT_OF_DATE', () => {
    const mrsigner = Buffer.alloc(32, 1)
    rejects({ ...good, qeReport: { ...good.qeReport, mrsigner } }, 'POLICY_VIOLATION', /MRSIGNER/)
    rejects({ ...good, qeReport: { ...good.qeReport, isvprodid: 1 } }, 'POLICY_VIOLATION', /ISVPRODID/)
    rejects({ ...good, qeReport: { ...good.qeReport, isvsvn: 0 } }, 'TCB_OUT_OF_DATE')
  })

  test('a TDX module signer other than Intel’s: POLICY_VIOLATION', () => {
    const td = good.td
    assert.ok(td)
    rejects({ ...good, td: { ...td, mrSignerSeam: Buffer.alloc(48, 7) } }, 'POLICY_VIOLATION', /MRSIGNER_SEAM/)
  })

  test('TDX 1.5, real v5 collateral: a TD running module SVN 4 (OutOfDate) whose TEE_TCB_SVN2 is at the latest level: TDRelaunchAdvised', () => {
    const v5 = caseInput(byId('A-GTG-V5'))
    assert.ok(v5.td)
    const older = { ...v5, td: { ...v5.td, teeTcbSvn: Buffer.from('04010400000000000000000000000000', 'hex') } }
    const verdict = evaluateDcapCollateral(older)
    assert.equal(verdict.platform.status, 'OutOfDate')
    assert.equal(verdict.platform.module?.identity.id, 'TDX_01')
    assert.equal(verdict.status, 'TDRelaunchAdvised')
    const stale = { ...older, td: { ...older.td, teeTcbSvn2: Buffer.from('05010400000000000000000000000000', 'hex') } }
    assert.equal(evaluateDcapCollateral(stale).status, 'OutOfDate')
    const v10 = { ...older, td: { ...older.td, teeTcbSvn2: undefined } }
    assert.equal(evaluateDcapCollateral(v10).status, 'OutOfDate')
  })

  test('claims: upstream names and encodings', () => {
    const claims = tcbVerdictClaims(evaluateDcapCollateral(caseInput(byId('QVL-SGX'))))
    assert.deepEqual(claims, {
      tcb_status: 'ConfigurationAndSWHardeningNeeded',
      tcb_date: '2024-03-13T00:00:00Z',
      advisory_ids: ['INTEL-SA-00289', 'INTEL-SA-00615'],
      collateral_expiration_status: '0',
      earliest_issue_date: '2018-05-21T10:45:10Z',
      latest_issue_date: claims['latest_issue_date'],
      earliest_expiration_date: claims['earliest_expiration_date'],
      tcb_eval_num: 17,
    })
    assert.match(claims['latest_issue_date'] as string, /^2025-06-19T\d\d:\d\d:\d\dZ$/)
    assert.match(claims['earliest_expiration_date'] as string, /^2025-07-19T\d\d:\d\d:\d\dZ$/)
  })
})

describe('trustee test data: tcbInfo.json and enclaveIdentity.json', () => {
  test('parse and verify with the 2025 TCB Signing re-issue', async () => {
    const { parseTcbInfoResponse } = await import('./tcb-info.ts')
    const { parseQeIdentityResponse } = await import('./qe-identity.ts')
    const { verifyCollateralIssuerChain, verifyCollateralSignature } = await import('./collateral-issuer-chain.ts')
    const at = new Date('2025-11-01T00:00:00Z')
    const signer = verifyCollateralIssuerChain(text('trustee/tcb-info-issuer-chain.pem'), { root }, at, 'TCB Info')
    const tcb = parseTcbInfoResponse(file('trustee/tcb-info.json'))
    verifyCollateralSignature(tcb.signedBytes, tcb.signature, signer, 'TCB Info')
    assert.equal(tcb.tcbInfo.id, 'TDX')
    assert.equal(tcb.tcbInfo.fmspc, '00a06d080000')
    assert.equal(tcb.tcbInfo.tdxModule?.attributesMask, 'ffffffffffffffff')
    assert.equal(tcb.tcbInfo.tcbLevels.length, 2)
    const qe = parseQeIdentityResponse(file('trustee/qe-identity.json'))
    verifyCollateralSignature(qe.signedBytes, qe.signature, signer, 'QE Identity')
    assert.equal(qe.qeIdentity.id, 'TD_QE')
    assert.equal(qe.qeIdentity.miscselectMask, 'ffffffff')
    assert.deepEqual(
      qe.qeIdentity.tcbLevels.map((l) => [l.isvsvn, l.tcbStatus]),
      [[4, 'UpToDate']],
    )
  })
})

describe('DCAP collateral: random mutations', () => {
  test('mutated TCB Info / QE Identity bodies are accepted only when the signed bytes are intact, else a typed error', async () => {
    const { splitSignedCollateral } = await import('./collateral-signed-json.ts')
    const good = caseInput(byId('QVL-SGX'))
    let seed = 7
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31)
    for (const [field, member] of [
      ['tcbInfo', 'tcbInfo'],
      ['qeIdentity', 'enclaveIdentity'],
    ] as const) {
      const original = splitSignedCollateral(good[field].body, member, field)
      for (let n = 0; n < 800; n++) {
        const body = Buffer.from(good[field].body)
        for (let k = 1 + (next() % 3); k > 0; k--) body[next() % body.length] = next() % 256
        try {
          evaluateDcapCollateral({ ...good, [field]: { ...good[field], body } })
          const parsed = splitSignedCollateral(body, member, field)
          assert.ok(Buffer.from(parsed.signedBytes).equals(original.signedBytes), `accepted a changed ${field}`)
          assert.ok(Buffer.from(parsed.signature).equals(original.signature))
        } catch (e) {
          assert.ok(e instanceof VerificationError, `untyped error: ${String(e)}`)
        }
      }
    }
  })
})
