import { X509Certificate } from 'node:crypto'
import { parseCrl } from '../pkix/crl.ts'
import { pemCertificates } from '../pkix/pem.ts'
import { CollateralError } from './collateral-error.ts'
import { intelSignedObject } from './collateral-expiry.ts'
import type { CollateralRequest } from './collateral-source.ts'

function mismatch(message: string): never {
  throw new CollateralError('MISMATCH', message)
}

function commonName(certificate: X509Certificate): string {
  return /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1] ?? ''
}

function chainNames(body: Uint8Array): string[] {
  try {
    return pemCertificates(Buffer.from(body).toString('utf8')).map((der) => commonName(new X509Certificate(der)))
  } catch (cause) {
    throw new CollateralError('MALFORMED', 'the AMD certificate chain is not PEM certificates', { cause })
  }
}

/**
 * Checks that an object is the one asked for — a folder or bundle holds collateral of one platform,
 * and a verifier given another platform's TCB Info would report a confusing TCB failure. Only the
 * identity fields are looked at; signatures are the verifier's job.
 */
export function checkCollateralMatches(request: CollateralRequest, body: Uint8Array): void {
  switch (request.kind) {
    case 'intel-tcb-info': {
      const info = intelSignedObject(body, 'tcbInfo', 'TCB Info')
      const fmspc = typeof info['fmspc'] === 'string' ? info['fmspc'].toLowerCase() : ''
      if (fmspc !== request.fmspc.toLowerCase()) {
        mismatch(`the TCB Info is for FMSPC ${fmspc || '(none)'}, the evidence needs ${request.fmspc.toLowerCase()}`)
      }
      const tee = info['id'] === 'TDX' ? 'tdx' : 'sgx'
      if (tee !== request.tee) mismatch(`the TCB Info is for ${tee.toUpperCase()}, the evidence needs ${request.tee}`)
      return
    }
    case 'intel-qe-identity': {
      const id = intelSignedObject(body, 'enclaveIdentity', 'QE Identity')['id']
      const want = request.tee === 'tdx' ? 'TD_QE' : 'QE'
      if (id !== want) mismatch(`the QE Identity is ${JSON.stringify(id)}, the evidence needs ${want}`)
      return
    }
    case 'intel-pck-crl': {
      let issuer: string
      try {
        issuer = Buffer.from(parseCrl(body).issuer).toString('latin1')
      } catch (cause) {
        throw new CollateralError('MALFORMED', 'the PCK CRL is not a CRL', { cause })
      }
      const ca = issuer.includes('Processor') ? 'processor' : issuer.includes('Platform') ? 'platform' : undefined
      if (ca !== undefined && ca !== request.ca)
        mismatch(`the PCK CRL is the ${ca} CA's, the quote needs ${request.ca}`)
      return
    }
    case 'amd-cert-chain': {
      const names = chainNames(body)
      if (!names.includes(`ARK-${request.product}`)) {
        mismatch(`the AMD chain (${names.join(', ')}) is not ${request.product}'s`)
      }
      const vlek = names.some((n) => n.startsWith('SEV-VLEK-'))
      if (vlek !== (request.signer === 'vlek'))
        mismatch(`the AMD chain is not the ${request.signer.toUpperCase()} chain`)
      return
    }
    case 'amd-vlek': {
      let certificate: X509Certificate
      try {
        certificate = new X509Certificate(body)
      } catch (cause) {
        throw new CollateralError('MALFORMED', 'the VLEK is not a DER certificate', { cause })
      }
      const issuer = /(?:^|\n)CN=([^\n]*)/.exec(certificate.issuer)?.[1] ?? ''
      if (commonName(certificate) !== 'SEV-VLEK' || issuer !== `SEV-VLEK-${request.product}`) {
        mismatch(`the certificate (${commonName(certificate)} by ${issuer}) is not a ${request.product} VLEK`)
      }
      return
    }
    case 'hygon-hsk-cek':
      // HSK (832 bytes) then CEK (2084 bytes); which chip they belong to shows only in the chain check.
      if (body.length !== 832 + 2084) {
        throw new CollateralError('MALFORMED', `an HSK/CEK pair is 2916 bytes, not ${String(body.length)}`)
      }
      return
    case 'amd-vcek':
    case 'amd-crl':
    case 'intel-root-ca-crl':
    case 'nvidia-root':
      return
  }
}
