import { readFileSync } from 'node:fs'
import type { CollateralItem, CollateralSource } from '../collateral/collateral-source.ts'

const FIXTURES = new URL('../../fixtures/az-tdx-vtpm/', import.meta.url)
const COLLATERAL = new URL('../../fixtures/dcap-collateral/', import.meta.url)

/** teekit's TCB Info for the Azure FMSPC and dcap-qvl's PCK/root CRLs are all current then. */
export const AZ_TDX_TEST_TIME = new Date('2025-09-29T23:00:00Z')

/** The Intel collateral for the Azure TD quote at AZ_TDX_TEST_TIME (fixtures/az-tdx-vtpm/README.md). */
export function azTdxTestCollateral(): CollateralSource {
  const file = (name: string, base: URL): Uint8Array => new Uint8Array(readFileSync(new URL(name, base)))
  const chain = (name: string): string => readFileSync(new URL(name, COLLATERAL), 'utf8')
  return {
    get(request) {
      let item: CollateralItem | undefined
      switch (request.kind) {
        case 'intel-pck-crl':
          item = request.ca === 'platform' ? { body: file('qvl-near-pck-crl.der', FIXTURES) } : undefined
          break
        case 'intel-root-ca-crl':
          item = { body: file('qvl-near/root-ca-crl.der', COLLATERAL) }
          break
        case 'intel-tcb-info':
          item = {
            body: file(`teekit-tdx/tcb-info-${request.fmspc}.json`, COLLATERAL),
            issuerChain: chain('teekit-tdx/tcb-info-issuer-chain.pem'),
          }
          break
        case 'intel-qe-identity':
          item = {
            body: file('teekit-tdx/qe-identity.json', COLLATERAL),
            issuerChain: chain('teekit-tdx/qe-identity-issuer-chain.pem'),
          }
          break
        default:
          item = undefined
      }
      return Promise.resolve(item)
    },
  }
}
