import { readFileSync } from 'node:fs'
import { sign } from 'node:crypto'
import type { CollateralSource } from '../collateral/collateral-source.ts'
import type { SyntheticDcapQuote } from '../dcap/synthetic-dcap-quote.ts'
import { createTestCertificate, type TestCertificate } from '../pkix/test-support/test-pki.ts'

/*
 * Test support: Intel TCB Info and QE Identity for a synthetic TDX quote built from
 * tdx_quote_4.dat (FMSPC 50806f000000), signed by an "Intel SGX TCB Signing" certificate under the
 * synthetic root. The levels are go-tdx-guest's real TCB Info of that FMSPC (fixtures/dcap-collateral/
 * go-tdx-guest-v4), re-dated, with a TDX 1.5 module identity TDX_03 added.
 */

const COLLATERAL = new URL('../../fixtures/dcap-collateral/go-tdx-guest-v4/', import.meta.url)

/** Issue and next-update dates of the synthetic TCB Info and QE Identity; verify in between. */
export const SYNTHETIC_TDX_ISSUED = '2026-11-20T00:00:00Z'
export const SYNTHETIC_TDX_NEXT_UPDATE = '2026-12-20T00:00:00Z'
export const SYNTHETIC_TDX_AT = new Date('2026-12-01T00:00:00Z')

/** TDX_03 module levels: SVN ≥ 5 UpToDate, SVN 3–4 OutOfDate (with an advisory). */
const MODULE_IDENTITY_TDX_03 = {
  id: 'TDX_03',
  mrsigner: '00'.repeat(48),
  attributes: '0000000000000000',
  attributesMask: 'FFFFFFFFFFFFFFFF',
  tcbLevels: [
    { tcb: { isvsvn: 5 }, tcbDate: '2026-08-14T00:00:00Z', tcbStatus: 'UpToDate' },
    { tcb: { isvsvn: 3 }, tcbDate: '2023-02-15T00:00:00Z', tcbStatus: 'OutOfDate', advisoryIDs: ['INTEL-SA-01036'] },
  ],
}

function signedBody(member: 'tcbInfo' | 'enclaveIdentity', inner: object, signer: TestCertificate): Uint8Array {
  const text = JSON.stringify(inner)
  const signature = sign('sha256', Buffer.from(text), { key: signer.key.privateKey, dsaEncoding: 'ieee-p1363' })
  return new TextEncoder().encode(`{"${member}":${text},"signature":"${signature.toString('hex')}"}`)
}

function innerObject(file: string, member: string): Record<string, unknown> {
  const outer = JSON.parse(readFileSync(new URL(file, COLLATERAL), 'utf8')) as Record<string, unknown>
  return { ...(outer[member] as Record<string, unknown>) }
}

export interface SyntheticTdxCollateral {
  readonly signer: TestCertificate
  /** TCB Info, QE Identity (with issuer chains) and the synthetic PKI's CRLs listing `revoked`. */
  readonly source: (revoked?: readonly TestCertificate[]) => CollateralSource
}

export function syntheticTdxCollateral(pki: SyntheticDcapQuote): SyntheticTdxCollateral {
  const signer = createTestCertificate({ commonName: 'Intel SGX TCB Signing', issuer: pki.root })
  const dates = { issueDate: SYNTHETIC_TDX_ISSUED, nextUpdate: SYNTHETIC_TDX_NEXT_UPDATE }
  const tcbInfo = signedBody(
    'tcbInfo',
    { ...innerObject('tcb-info.json', 'tcbInfo'), ...dates, tdxModuleIdentities: [MODULE_IDENTITY_TDX_03] },
    signer,
  )
  const qeIdentity = signedBody(
    'enclaveIdentity',
    { ...innerObject('qe-identity.json', 'enclaveIdentity'), ...dates },
    signer,
  )
  const issuerChain = signer.x509.toString() + pki.root.x509.toString()
  return {
    signer,
    source: (revoked = []) => {
      const crls = pki.crls(revoked)
      return {
        get(request) {
          if (request.kind === 'intel-tcb-info') return Promise.resolve({ body: tcbInfo, issuerChain })
          if (request.kind === 'intel-qe-identity') return Promise.resolve({ body: qeIdentity, issuerChain })
          return crls.get(request)
        },
      }
    },
  }
}
