import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { derToPem } from '../pkix/pem.ts'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Test helpers: a local fake AMD KDS / Intel PCS serving the real fixture files (no network beyond 127.0.0.1). */

export function fixture(path: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url)))
}

export function fixtureText(path: string): string {
  return Buffer.from(fixture(path)).toString('utf8')
}

/** PEM blocks of a file, in order. */
export function pemBlocksOf(path: string): string[] {
  return fixtureText(path).match(/-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----\n?/g) ?? []
}

export interface Route {
  readonly body: Uint8Array | string
  readonly headers?: Record<string, string>
}

/** What the fake answers per request path+query; a function may answer anything (429s, hangs). */
export type Handler = (req: IncomingMessage, res: ServerResponse) => void

export interface FakeVendor {
  readonly url: string
  /** Every request's path and query, in arrival order. */
  readonly requests: string[]
  close(): Promise<void>
}

export async function startFakeVendor(routes: Record<string, Route | Handler>): Promise<FakeVendor> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    const path = req.url ?? ''
    requests.push(path)
    const route = routes[path]
    if (route === undefined) {
      res.writeHead(404).end()
      return
    }
    if (typeof route === 'function') {
      route(req, res)
      return
    }
    res.writeHead(200, route.headers ?? {}).end(route.body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(port)}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}

/** The real Milan fixtures as KDS and PCS serve them (paths as the HTTP source asks for them). */
export function realVendorRoutes(): Record<string, Route> {
  const [ask = '', ark = '', asvk = ''] = pemBlocksOf('pkix/amd-milan-ask-ark-asvk.pem')
  return {
    '/vcek/v1/Milan/cert_chain': { body: ask + ark },
    '/vlek/v1/Milan/cert_chain': { body: asvk + ark },
    '/sgx/certification/v4/tcb?fmspc=00a067110000': {
      body: fixture('dcap-collateral/qvl-sgx/tcb-info.json'),
      headers: {
        'TCB-Info-Issuer-Chain': encodeURIComponent(fixtureText('dcap-collateral/qvl-sgx/tcb-info-issuer-chain.pem')),
      },
    },
    '/sgx/certification/v4/qe/identity': {
      body: fixture('dcap-collateral/qvl-sgx/qe-identity.json'),
      headers: {
        'SGX-Enclave-Identity-Issuer-Chain': encodeURIComponent(
          fixtureText('dcap-collateral/qvl-sgx/qe-identity-issuer-chain.pem'),
        ),
      },
    },
    '/sgx/certification/v4/pckcrl?ca=processor&encoding=der': { body: fixture('dcap/qvl-sgx-pck-crl.der') },
    '/IntelSGXRootCA.der': { body: fixture('dcap-collateral/qvl-sgx/root-ca-crl.der') },
  }
}

const fixturesDir = new URL('../../fixtures/', import.meta.url).pathname
const qvlSgx = join(fixturesDir, 'dcap-collateral/qvl-sgx')

/** A flat folder for one SGX platform and one Milan chip, as the docs describe it. */
export function makeFlatFolder(dir: string): void {
  for (const f of ['tcb-info.json', 'tcb-info-issuer-chain.pem', 'qe-identity.json', 'qe-identity-issuer-chain.pem']) {
    copyFileSync(join(qvlSgx, f), join(dir, f))
  }
  writeFileSync(join(dir, 'pck-crl.pem'), derToPem(fixture('dcap/qvl-sgx-pck-crl.der'), 'X509 CRL'))
  copyFileSync(join(qvlSgx, 'root-ca-crl.der'), join(dir, 'root-ca-crl.der'))
  copyFileSync(join(fixturesDir, 'snp/oak-milan-oc-vcek.der'), join(dir, 'vcek.der'))
  const [ask = '', ark = ''] = pemBlocksOf('pkix/amd-milan-ask-ark-asvk.pem')
  writeFileSync(join(dir, 'cert-chain.pem'), ask + ark)
  copyFileSync(join(fixturesDir, 'pkix/nvidia-device-root.pem'), join(dir, 'nvidia-root.pem'))
}
