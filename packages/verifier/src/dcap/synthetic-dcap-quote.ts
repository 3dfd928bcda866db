import { sign, X509Certificate } from 'node:crypto'
import type { CollateralSource } from '../collateral/collateral-source.ts'
import { certificateExtensions } from '../pkix/certificate.ts'
import { createTestCertificate, createTestCrl, type TestCertificate } from '../pkix/test-support/test-pki.ts'
import { parseDcapQuote } from './quote-parse.ts'

const SGX_EXTENSION = '1.2.840.113741.1.13.1'

/** Test support: a DCAP quote (v3 SGX or v4 TDX) moved onto a synthetic PKI, with CRLs signed by that PKI. */
export interface SyntheticDcapQuote {
  readonly root: TestCertificate
  readonly ca: TestCertificate
  readonly leaf: TestCertificate
  /** The quote with its PCK chain replaced by leaf → "Intel SGX PCK Platform CA" → root, QE report re-signed. */
  readonly quote: Uint8Array
  /** PCK CRL (by the CA) and root CA CRL (by the root) listing `revoked`. */
  readonly crls: (revoked: readonly TestCertificate[]) => CollateralSource
}

export function syntheticDcapQuote(real: Uint8Array): SyntheticDcapQuote {
  const parsed = parseDcapQuote(real)
  if (parsed.header.version > 4) throw new Error('a v3 or v4 quote is expected')
  const firstPem = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(
    Buffer.from(parsed.qe.certData).toString('latin1'),
  )?.[0]
  const extension = certificateExtensions(new X509Certificate(firstPem ?? '')).get(SGX_EXTENSION)
  if (extension === undefined) throw new Error('the PCK leaf has no SGX extension')
  const root = createTestCertificate({ commonName: 'Synthetic SGX Root CA', ca: true })
  const ca = createTestCertificate({ commonName: 'Intel SGX PCK Platform CA', ca: true, issuer: root })
  const leaf = createTestCertificate({
    commonName: 'Intel SGX PCK Certificate',
    issuer: ca,
    extensions: [{ oid: SGX_EXTENSION, value: extension.value }],
  })
  const at = (part: Uint8Array): number => part.byteOffset - parsed.signedBytes.byteOffset
  const head = Buffer.from(real.subarray(0, at(parsed.qe.certData) - 4))
  const qeSignature = sign('sha256', parsed.qe.qeReport, { key: leaf.key.privateKey, dsaEncoding: 'ieee-p1363' })
  qeSignature.copy(head, at(parsed.qe.qeReportSignature))
  const chain = Buffer.from([leaf, ca, root].map((c) => c.x509.toString()).join(''), 'latin1')
  const size = Buffer.alloc(4)
  size.writeUInt32LE(chain.length)
  const quote = Buffer.concat([head, size, chain])
  const sigLengthAt = parsed.signedBytes.length
  quote.writeUInt32LE(quote.length - sigLengthAt - 4, sigLengthAt)
  // v4: the QE block sits in certification data type 6, whose u32 size precedes the QE report.
  if (parsed.header.version === 4)
    quote.writeUInt32LE(quote.length - at(parsed.qe.qeReport), at(parsed.qe.qeReport) - 4)
  return {
    root,
    ca,
    leaf,
    quote: new Uint8Array(quote),
    crls: (revoked) => {
      const listed = (issuer: TestCertificate): Uint8Array =>
        createTestCrl({
          issuer,
          revoked: revoked.filter((c) => c.x509.checkIssued(issuer.x509)).map((certificate) => ({ certificate })),
        })
      return {
        get(request) {
          if (request.kind === 'intel-pck-crl') return Promise.resolve({ body: listed(ca) })
          if (request.kind === 'intel-root-ca-crl') return Promise.resolve({ body: listed(root) })
          return Promise.resolve(undefined)
        },
      }
    },
  }
}
