import { X509Certificate } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import { fwidOfCertificate } from './fwid-extension.ts'

/*
 * An NVIDIA device certificate chain, leaf first: the signing certificate (e.g. "GH100 A01 GSP FMC
 * LF"), its issuers, and last the NVIDIA Device Identity CA, which must be the trusted root.
 */

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/gu

function invalid(message: string, cause?: unknown): VerificationError {
  return new VerificationError('CERT_CHAIN_INVALID', `NVIDIA certificate chain: ${message}`, { cause })
}

/** Every certificate of a PEM bundle, in order; CERT_CHAIN_INVALID when one does not parse. */
export function parsePemChain(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? []
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block)
    } catch (cause) {
      throw invalid(`certificate ${String(i)} does not parse`, cause)
    }
  })
}

function checkValidity(cert: X509Certificate, at: Date): void {
  const from = Date.parse(cert.validFrom)
  const to = Date.parse(cert.validTo)
  if (Number.isNaN(from) || Number.isNaN(to)) throw invalid(`unreadable validity of ${cert.subject}`)
  if (at.getTime() < from || at.getTime() > to) {
    throw new VerificationError(
      'CERT_EXPIRED',
      `NVIDIA certificate ${JSON.stringify(cert.subject)} is not valid at ${at.toISOString()} (${cert.validFrom} – ${cert.validTo})`,
    )
  }
}

/**
 * Checks the chain against `root` at time `at` and that the leaf's FWID is `reportFwid` (the FWID
 * the signed report carries). Returns the leaf, whose key verifies the report.
 */
export function verifyNvidiaChain(
  chain: readonly X509Certificate[],
  root: X509Certificate,
  at: Date,
  reportFwid: string | undefined,
): X509Certificate {
  const leaf = chain[0]
  const last = chain.at(-1)
  if (leaf === undefined || last === undefined || chain.length < 2) {
    throw invalid('it must hold at least the signing certificate and the root CA')
  }
  if (!Buffer.from(last.raw).equals(Buffer.from(root.raw))) {
    throw new VerificationError(
      'CERT_UNTRUSTED_ROOT',
      `NVIDIA certificate chain ends at ${JSON.stringify(last.subject)}, not the trusted NVIDIA root`,
    )
  }
  const certFwid = fwidOfCertificate(new Uint8Array(leaf.raw))
  if (reportFwid === undefined) throw new VerificationError('EVIDENCE_MALFORMED', 'NVIDIA report carries no fwid')
  if (certFwid !== reportFwid.toLowerCase()) {
    throw new VerificationError(
      'TCB_OUT_OF_DATE',
      `NVIDIA report fwid ${reportFwid} is not the signing certificate's ${certFwid}`,
    )
  }
  for (let i = 0; i < chain.length; i++) {
    const cert = chain[i] as X509Certificate
    const issuer = chain[i + 1] ?? root
    if (i > 0 && !cert.ca)
      throw invalid(`${JSON.stringify(cert.subject)} is not a CA but issues certificate ${String(i - 1)}`)
    if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey)) {
      throw invalid(`${JSON.stringify(cert.subject)} is not signed by ${JSON.stringify(issuer.subject)}`)
    }
    checkValidity(cert, at)
  }
  return leaf
}
