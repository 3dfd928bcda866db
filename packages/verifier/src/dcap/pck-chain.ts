import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { CollateralSource } from '../collateral/collateral-source.ts'
import { checkCrlCurrent, parseCrl, verifyCrlSignature, type CertificateRevocationList } from '../pkix/crl.ts'
import { parseCertificate } from '../pkix/certificate.ts'
import { VerificationError } from '../verifier.ts'
import { validAt } from './cert-validity.ts'
import { ContentCache } from '../content-cache.ts'
import { parsePckExtensions, type PckExtensions } from './pck-extensions.ts'
import type { DcapQuote } from './quote-parse.ts'
import { getCollateral } from '../collateral/get-collateral.ts'

/** The PCK chain of a quote, checked: leaf → PCK Platform/Processor CA → the trusted Intel root. */
export interface VerifiedPckChain {
  readonly leaf: X509Certificate
  readonly intermediate: X509Certificate
  readonly root: X509Certificate
  readonly ca: 'platform' | 'processor'
  readonly extensions: PckExtensions
  readonly pckCrl: CertificateRevocationList
  readonly rootCrl: CertificateRevocationList
}

let pinnedRoot: X509Certificate | undefined

/** The pinned Intel SGX Root CA (roots/intel-sgx-root-ca.pem). */
export function intelSgxRootCa(): X509Certificate {
  pinnedRoot ??= new X509Certificate(readFileSync(new URL('../../roots/intel-sgx-root-ca.pem', import.meta.url)))
  return pinnedRoot
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/g

/** The certificates of a type-5 certification data block (PEM, leaf first; trailing NULs allowed). */
export function pckCertificates(quote: DcapQuote): X509Certificate[] {
  if (quote.qe.certType !== 5) {
    throw new VerificationError(
      'UNSUPPORTED_VERSION',
      `DCAP quote: certification data type ${String(quote.qe.certType)} (only 5, the PCK chain, is supported)`,
    )
  }
  const text = Buffer.from(quote.qe.certData).toString('latin1')
  const pems = text.match(PEM_CERT) ?? []
  if (!/^[\s\0]*$/.test(text.replace(PEM_CERT, ''))) {
    throw new VerificationError(
      'CERT_CHAIN_INVALID',
      'DCAP quote: the PCK certification data holds more than PEM certificates',
    )
  }
  if (pems.length < 2)
    throw new VerificationError('CERT_CHAIN_INVALID', 'DCAP quote: the PCK chain has fewer than 2 certificates')
  try {
    return pems.map((pem) => {
      const cert = new X509Certificate(pem)
      cert.publicKey.export({ format: 'der', type: 'spki' }) // node decodes the key lazily
      return cert
    })
  } catch (cause) {
    throw new VerificationError('CERT_CHAIN_INVALID', 'DCAP quote: a PCK chain certificate does not parse', { cause })
  }
}

function sameKey(a: X509Certificate, b: X509Certificate): boolean {
  return a.publicKey.export({ format: 'der', type: 'spki' }).equals(b.publicKey.export({ format: 'der', type: 'spki' }))
}

function checkValidity(cert: X509Certificate, at: Date, what: string): void {
  if (!validAt(cert, at)) {
    throw new VerificationError(
      'CERT_EXPIRED',
      `${what} is valid ${cert.validFrom} – ${cert.validTo}, not at ${at.toISOString()}`,
    )
  }
}

function issuedBy(cert: X509Certificate, issuer: X509Certificate, what: string): void {
  if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) {
    throw new VerificationError('CERT_CHAIN_INVALID', `${what} is not signed by its issuer`)
  }
}

function caOf(intermediate: X509Certificate): 'platform' | 'processor' {
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(intermediate.subject)?.[1] ?? ''
  if (cn === 'Intel SGX PCK Platform CA') return 'platform'
  if (cn === 'Intel SGX PCK Processor CA') return 'processor'
  throw new VerificationError('CERT_CHAIN_INVALID', `DCAP quote: unknown PCK CA ${JSON.stringify(cn)}`)
}

export interface PckChainOptions {
  readonly at: Date
  readonly collateral: CollateralSource
  /** The trust anchor (default: the pinned Intel SGX Root CA); tests put their own PKI here. */
  readonly trustedRoot?: X509Certificate
}

/**
 * Checks the quote's PCK chain at `at`: each certificate signed by the next, the chain ending at
 * the trusted root (by key), all within validity, the leaf not on the PCK CRL of its CA and the CA
 * not on the root CA CRL (both from the collateral: without them COLLATERAL_UNAVAILABLE).
 */
interface SignedPckChain {
  readonly leaf: X509Certificate
  readonly intermediate: X509Certificate
  readonly ca: 'platform' | 'processor'
  readonly extensions: PckExtensions
}

const chains = new ContentCache<SignedPckChain>()
/** A CRL whose signature verified, with its serials (hex of the DER integer content) for per-call lookups. */
interface SignedCrl {
  readonly crl: CertificateRevocationList
  readonly serials: ReadonlySet<string>
}

const crls = new ContentCache<SignedCrl>()

/** The time-independent chain checks: parse, signatures up to the trusted root, CA kind, SGX extension. */
function signedPckChain(quote: DcapQuote, trusted: X509Certificate): SignedPckChain {
  const [leaf, intermediate, supplied] = pckCertificates(quote)
  if (leaf === undefined || intermediate === undefined) {
    throw new VerificationError('CERT_CHAIN_INVALID', 'DCAP quote: the PCK chain has fewer than 2 certificates')
  }
  if (supplied !== undefined && !supplied.verify(supplied.publicKey)) {
    throw new VerificationError(
      'CERT_CHAIN_INVALID',
      'DCAP quote: the root certificate of the PCK chain is not self-signed',
    )
  }
  if (supplied !== undefined && !sameKey(supplied, trusted)) {
    throw new VerificationError(
      'CERT_UNTRUSTED_ROOT',
      'DCAP quote: the PCK chain ends at a root other than the trusted Intel SGX Root CA',
    )
  }
  if (!intermediate.checkIssued(trusted) || !intermediate.verify(trusted.publicKey)) {
    if (supplied === undefined) {
      throw new VerificationError(
        'CERT_UNTRUSTED_ROOT',
        'DCAP quote: the PCK CA is not issued by the trusted Intel SGX Root CA',
      )
    }
    throw new VerificationError('CERT_CHAIN_INVALID', 'DCAP quote: the PCK CA is not signed by the Intel SGX Root CA')
  }
  issuedBy(leaf, intermediate, 'DCAP quote: the PCK certificate')
  return { leaf, intermediate, ca: caOf(intermediate), extensions: parsePckExtensions(leaf) }
}

/**
 * Checks the quote's PCK chain at `at`: each certificate signed by the next, the chain ending at
 * the trusted root (by key), all within validity, the leaf not on the PCK CRL of its CA and the CA
 * not on the root CA CRL (both from the collateral: without them COLLATERAL_UNAVAILABLE).
 */
export async function verifyPckChain(quote: DcapQuote, options: PckChainOptions): Promise<VerifiedPckChain> {
  const trusted = options.trustedRoot ?? intelSgxRootCa()
  // Everything the cached checks read is in the key: the chain bytes, their type and the trust anchor.
  const context = `${trusted.fingerprint256}:${String(quote.qe.certType)}`
  const { leaf, intermediate, ca, extensions } = chains.get(quote.qe.certData, context, () =>
    signedPckChain(quote, trusted),
  )
  checkValidity(trusted, options.at, 'the Intel SGX Root CA')
  checkValidity(intermediate, options.at, 'the PCK CA certificate')
  checkValidity(leaf, options.at, 'the PCK certificate')

  const pckItem = await getCollateral(options.collateral, { kind: 'intel-pck-crl', ca })
  if (pckItem === undefined) throw new VerificationError('COLLATERAL_UNAVAILABLE', `no Intel PCK ${ca} CA CRL`)
  const rootItem = await getCollateral(options.collateral, { kind: 'intel-root-ca-crl' })
  if (rootItem === undefined) throw new VerificationError('COLLATERAL_UNAVAILABLE', 'no Intel SGX Root CA CRL')
  const rootCrl = currentCrl(rootItem.body, trusted, options.at, 'the Intel SGX Root CA CRL')
  const pckCrl = currentCrl(pckItem.body, intermediate, options.at, `the PCK ${ca} CA CRL`)
  if (rootCrl.serials.has(serialOf(intermediate))) {
    throw new VerificationError('CERT_REVOKED', `DCAP quote: the PCK ${ca} CA certificate is revoked`)
  }
  if (pckCrl.serials.has(serialOf(leaf))) {
    throw new VerificationError('CERT_REVOKED', 'DCAP quote: the PCK certificate is revoked')
  }
  return { leaf, intermediate, root: trusted, ca, extensions, pckCrl: pckCrl.crl, rootCrl: rootCrl.crl }
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex')

/** Serials per certificate object (immutable; the remembered chain hands out the same objects). */
const serials = new WeakMap<X509Certificate, string>()

/** The certificate's serial as a CRL entry spells it (same bytes as `revocationOf` compares). */
function serialOf(cert: X509Certificate): string {
  let serial = serials.get(cert)
  if (serial === undefined) {
    serial = hex(parseCertificate(cert).serial)
    serials.set(cert, serial)
  }
  return serial
}

/** A CRL signed by `issuer` and current at `at` (COLLATERAL_INVALID / CERT_EXPIRED otherwise). */
function currentCrl(body: Uint8Array, issuer: X509Certificate, at: Date, what: string): SignedCrl {
  try {
    const signed = crls.get(body, issuer.fingerprint256, () => {
      const parsed = parseCrl(body)
      verifyCrlSignature(parsed, issuer)
      return { crl: parsed, serials: new Set(parsed.revoked.map((entry) => hex(entry.serial))) }
    })
    checkCrlCurrent(signed.crl, at)
    return signed
  } catch (error) {
    if (error instanceof VerificationError) {
      throw new VerificationError(error.code, `${what}: ${error.message}`, { cause: error })
    }
    throw error
  }
}
