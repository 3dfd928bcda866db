import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { crlSource, fixedTcbEvaluation } from '../dcap/quote-fixtures.ts'
import { parseDcapQuote, quoteReportData } from '../dcap/quote-parse.ts'
import { rejectsWith } from '../verifier-contract.ts'
import { createSgxVerifier } from './sgx-verifier.ts'

/*
 * Case A-TLSN (vectors-extra MANIFEST §1): teekit's TLSNotary SGX quotes (MIT). The Processor CA
 * CRL and root CA CRL of dcap-qvl's SGX sample (MIT) are current at 2025-06-20, so everything up to
 * the TCB step runs here; the TCB Info (eval #19) and QE Identity of that time exist only in
 * fortanix/rust-sgx (MPL-2.0, not copied) — docs/verifiers.md gives the by-hand result.
 */

const at = new Date('2025-06-20T00:00:00Z')

for (const name of ['sgx-tlsn-quote9.dat', 'sgx-tlsn-quotedev.dat']) {
  test(`sgx A-TLSN ${name}: quote, QE report, PCK chain (Processor CA) and CRLs verify at 2025-06-20`, async () => {
    const quote = new Uint8Array(readFileSync(new URL(`../../fixtures/dcap/teekit/${name}`, import.meta.url)))
    const parsed = parseDcapQuote(quote)
    assert.equal(parsed.header.version, 3)
    const evidence = { quote: Buffer.from(quote).toString('base64') }
    const reportData = quoteReportData(parsed)
    const v = createSgxVerifier({ evaluateTcb: fixedTcbEvaluation({ tcb_status: 'stub' }) })
    const [r] = await v.verify(evidence, { reportData }, { at, collateral: crlSource('qvl-sgx') })
    assert.equal(r?.claims['tcb_status'], 'stub')
    assert.equal(r.claims['sgx_type'], 'Standard')
    // With the real TCB step and no TCB Info of that time: COLLATERAL_UNAVAILABLE, never accepted.
    await rejectsWith(
      createSgxVerifier().verify(evidence, { reportData }, { at, collateral: crlSource('qvl-sgx') }),
      'COLLATERAL_UNAVAILABLE',
    )
  })
}
