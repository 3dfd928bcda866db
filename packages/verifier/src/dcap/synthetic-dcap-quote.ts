import { createHash, generateKeyPairSync, sign, X509Certificate } from 'node:crypto'
import type { CollateralSource } from '../collateral/collateral-source.ts'
import { certificateExtensions } from '../pkix/certificate.ts'
import { createTestCertificate, createTestCrl, type TestCertificate } from '../pkix/test-support/test-pki.ts'
import { parseDcapQuote, type DcapQuote } from './quote-parse.ts'

const SGX_EXTENSION = '1.2.840.113741.1.13.1'

/** Test support: a DCAP quote (v3 SGX, v4 or v5 TDX) moved onto a synthetic PKI, with CRLs signed by that PKI. */
export interface SyntheticDcapQuote {
  readonly root: TestCertificate
  readonly ca: TestCertificate
  readonly leaf: TestCertificate
  /** The quote with its PCK chain replaced by leaf → "Intel SGX PCK Platform CA" → root, QE report re-signed. */
  readonly quote: Uint8Array
  /** PCK CRL (by the CA) and root CA CRL (by the root) listing `revoked`. */
  readonly crls: (revoked: readonly TestCertificate[]) => CollateralSource
}

export interface SyntheticDcapQuoteOptions {
  /**
   * Another report body (384 B SGX, 584 B TDX 1.0, 648 B TDX 1.5). The quote is then signed by a
   * fresh attestation key, which the re-signed QE report binds.
   */
  readonly body?: Uint8Array
  /** Emit a v5 quote with this body type (2 = TDX 1.0, 3 = TDX 1.5); implies a fresh attestation key. */
  readonly v5BodyType?: 2 | 3
}

const u16 = (n: number): Buffer => {
  const b = Buffer.alloc(2)
  b.writeUInt16LE(n)
  return b
}
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4)
  b.writeUInt32LE(n)
  return b
}

/**
 * Moves `real` (whose first PCK certificate carries the SGX extension that is kept) onto a fresh
 * synthetic PKI. Without options the quote's header, body and signature stay byte for byte.
 */
export function syntheticDcapQuote(real: Uint8Array, options: SyntheticDcapQuoteOptions = {}): SyntheticDcapQuote {
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
  const chain = Buffer.from([leaf, ca, root].map((c) => c.x509.toString()).join(''), 'latin1')
  const resign = options.body !== undefined || options.v5BodyType !== undefined
  const quote = resign ? resignedQuote(parsed, leaf, chain, options) : rechainedQuote(parsed, real, leaf, chain)
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

/** The real quote with only the PCK chain replaced and the QE report re-signed. */
function rechainedQuote(parsed: DcapQuote, real: Uint8Array, leaf: TestCertificate, chain: Buffer): Buffer {
  const at = (part: Uint8Array): number => part.byteOffset - parsed.signedBytes.byteOffset
  const head = Buffer.from(real.subarray(0, at(parsed.qe.certData) - 4))
  const qeSignature = sign('sha256', parsed.qe.qeReport, { key: leaf.key.privateKey, dsaEncoding: 'ieee-p1363' })
  qeSignature.copy(head, at(parsed.qe.qeReportSignature))
  const quote = Buffer.concat([head, u32(chain.length), chain])
  const sigLengthAt = parsed.signedBytes.length
  quote.writeUInt32LE(quote.length - sigLengthAt - 4, sigLengthAt)
  // v4: the QE block sits in certification data type 6, whose u32 size precedes the QE report.
  if (parsed.header.version === 4)
    quote.writeUInt32LE(quote.length - at(parsed.qe.qeReport), at(parsed.qe.qeReport) - 4)
  return quote
}

/**
 * A quote built anew around `options.body` (or the real body): header (version 5 with the body
 * descriptor when asked), quote signature by a fresh P-256 attestation key, QE report whose report
 * data binds that key (SHA-256(key ‖ auth data) ‖ 0³²), signed by the synthetic PCK leaf.
 */
function resignedQuote(
  parsed: DcapQuote,
  leaf: TestCertificate,
  chain: Buffer,
  options: SyntheticDcapQuoteOptions,
): Buffer {
  const body = Buffer.from(options.body ?? parsed.body)
  const header = Buffer.from(parsed.header.raw)
  let descriptor = Buffer.alloc(0)
  if (options.v5BodyType !== undefined) {
    if (parsed.bodyKind === 'sgx') throw new Error('v5 is built from a TDX quote here')
    header.writeUInt16LE(5, 0)
    descriptor = Buffer.concat([u16(options.v5BodyType), u32(body.length)])
  }
  const ak = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = ak.publicKey.export({ format: 'jwk' })
  const akRaw = Buffer.concat([Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')])
  const signed = Buffer.concat([header, descriptor, body])
  const signature = sign('sha256', signed, { key: ak.privateKey, dsaEncoding: 'ieee-p1363' })
  const qeReport = Buffer.from(parsed.qe.qeReport)
  createHash('sha256').update(akRaw).update(parsed.qe.qeAuthData).digest().copy(qeReport, 320)
  qeReport.fill(0, 352, 384)
  const qeSignature = sign('sha256', qeReport, { key: leaf.key.privateKey, dsaEncoding: 'ieee-p1363' })
  const qeBlock = Buffer.concat([
    qeReport,
    qeSignature,
    u16(parsed.qe.qeAuthData.length),
    parsed.qe.qeAuthData,
    u16(5),
    u32(chain.length),
    chain,
  ])
  const certification = parsed.header.version === 3 ? qeBlock : Buffer.concat([u16(6), u32(qeBlock.length), qeBlock])
  const signatureData = Buffer.concat([signature, akRaw, certification])
  return Buffer.concat([signed, u32(signatureData.length), signatureData])
}
