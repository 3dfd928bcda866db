import { readFileSync } from 'node:fs'
import type { CollateralSource } from '../collateral/collateral-source.ts'
import type { DcapTcbEvaluator } from './quote-verify.ts'

/*
 * Test support for the DCAP quote tests (fixtures/dcap, see its README): the real quotes, the
 * CRLs that fit them, and the evaluation time of each case.
 */

const cache = new Map<string, Uint8Array>()

/** A file of fixtures/dcap (read once; callers copy before changing it). */
export function dcapFixture(name: string): Uint8Array {
  let bytes = cache.get(name)
  if (bytes === undefined) {
    bytes = new Uint8Array(readFileSync(new URL(`../../fixtures/dcap/${name}`, import.meta.url)))
    cache.set(name, bytes)
  }
  return bytes
}

export interface DcapQuoteCase {
  readonly quote: string
  /** Prefix of `<prefix>-pck-crl.der` / `<prefix>-root-ca-crl.der`. */
  readonly crls: string
  readonly at: Date
}

/** Real quotes with a PCK CRL and root CA CRL current at `at` (vectors-extra MANIFEST §1). */
export const REAL_QUOTES = {
  'tdx-v4-trustee': { quote: 'tdx_quote_4.dat', crls: 'gtg', at: new Date('2023-07-01T01:00:00Z') },
  'tdx-v4-go-tdx-guest': { quote: 'gtg-v4-quote.dat', crls: 'gtg', at: new Date('2023-07-01T01:00:00Z') },
  'tdx-v4-dcap-qvl': { quote: 'qvl-tdx-quote.dat', crls: 'qvl-tdx', at: new Date('2025-07-19T10:00:34Z') },
  'tdx-v5-dcap-qvl': { quote: 'qvl-tdx5-quote.dat', crls: 'qvl-tdx5', at: new Date('2026-03-20T10:41:14Z') },
  'tdx-v4-near': { quote: 'qvl-near-quote.dat', crls: 'qvl-near', at: new Date('2025-09-10T00:00:00Z') },
  'tdx-v4-dcap-rs': { quote: 'drs-tdx-quote.dat', crls: 'drs', at: new Date('2025-02-13T04:00:32Z') },
  'sgx-v3-dcap-qvl': { quote: 'qvl-sgx-quote.dat', crls: 'qvl-sgx', at: new Date('2025-07-19T10:01:17Z') },
  'sgx-v3-occlum': { quote: 'occlum_quote.dat', crls: 'drs', at: new Date('2025-02-13T04:00:32Z') },
} satisfies Record<string, DcapQuoteCase>

/** A collateral source holding the two CRLs `<prefix>-pck-crl.der` and `<prefix>-root-ca-crl.der`. */
export function crlSource(prefix: string, pckCrl = `${prefix}-pck-crl.der`): CollateralSource {
  return {
    get(request) {
      if (request.kind === 'intel-pck-crl') return Promise.resolve({ body: dcapFixture(pckCrl) })
      if (request.kind === 'intel-root-ca-crl')
        return Promise.resolve({ body: dcapFixture(`${prefix}-root-ca-crl.der`) })
      return Promise.resolve(undefined)
    },
  }
}

/**
 * A stand-in for the TCB step that returns fixed claims: it lets the quote-side checks be tested
 * on their own. Not a verifier configuration — the real evaluation reads TCB Info / QE Identity.
 */
export function fixedTcbEvaluation(claims: Record<string, string | number | string[]>): DcapTcbEvaluator {
  return () => Promise.resolve({ claims, issued: [], expires: [] })
}

const collateralCache = new Map<string, Uint8Array | undefined>()

/** `dir` is a folder of fixtures/dcap-collateral, or of fixtures when it starts with `dcap/`. */
function collateralFile(dir: string, name: string): Uint8Array | undefined {
  const key = `${dir.startsWith('dcap/') ? dir : `dcap-collateral/${dir}`}/${name}`
  if (!collateralCache.has(key)) {
    let bytes: Uint8Array | undefined
    try {
      bytes = new Uint8Array(readFileSync(new URL(`../../fixtures/${key}`, import.meta.url)))
    } catch {
      bytes = undefined
    }
    collateralCache.set(key, bytes)
  }
  return collateralCache.get(key)
}

/**
 * All collateral of one case: the CRLs `<crls>-*.der` from fixtures/dcap and the TCB Info, QE
 * Identity and their issuer chains from fixtures/dcap-collateral/<dir>.
 */
export function caseCollateral(crls: string, dir: string): CollateralSource {
  const chain = (name: string): string => Buffer.from(collateralFile(dir, name) ?? new Uint8Array()).toString('utf8')
  const withCrls = crlSource(crls)
  return {
    get(request) {
      if (request.kind === 'intel-tcb-info') {
        const body = collateralFile(dir, 'tcb-info.json')
        return Promise.resolve(body && { body, issuerChain: chain('tcb-info-issuer-chain.pem') })
      }
      if (request.kind === 'intel-qe-identity') {
        const body = collateralFile(dir, 'qe-identity.json')
        return Promise.resolve(body && { body, issuerChain: chain('qe-identity-issuer-chain.pem') })
      }
      return withCrls.get(request)
    },
  }
}
