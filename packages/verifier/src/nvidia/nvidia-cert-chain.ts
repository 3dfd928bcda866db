import { X509Certificate } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import { verifyCertificateChain } from '../pkix/certificate-chain.ts'
import { certificateExtensions } from '../pkix/certificate.ts'
import { strictPemCertificates } from '../pkix/pem.ts'

/*
 * An NVIDIA device certificate chain, leaf first: the signing certificate (e.g. "GH100 A01 GSP FMC
 * LF"), its issuers, and last the NVIDIA Device Identity CA, which must be the trusted root.
 */

function invalid(message: string, cause?: unknown): VerificationError {
  return new VerificationError('CERT_CHAIN_INVALID', `NVIDIA certificate chain: ${message}`, { cause })
}

/**
 * Every certificate of the evidence's PEM chain, in order. Nothing signs the text, so it must be
 * exactly the blocks (strict RFC 7468 form, one newline between them) ending with one newline or
 * none — the two forms real evidence has (nvtrust's sample; a Confidential Containers CI capture).
 * Anything else, or a certificate that does not parse, is CERT_CHAIN_INVALID.
 */
export function parsePemChain(pem: string): X509Certificate[] {
  return strictPemCertificates(pem, 'CERT_CHAIN_INVALID', ['', '\n']).map((der, i) => {
    try {
      return new X509Certificate(der)
    } catch (cause) {
      throw invalid(`certificate ${String(i)} does not parse`, cause)
    }
  })
}

/** Extension 2.23.133.5.4.1 (TCG DICE TcbInfo): its last 48 bytes are the FWID (SHA-384). */
const TCG_DICE_TCB_INFO = '2.23.133.5.4.1'
const FWID_SIZE = 48

/** The FWID (hex) of the signing certificate; CERT_CHAIN_INVALID when it has none. */
export function fwidOfCertificate(cert: X509Certificate): string {
  const extension = certificateExtensions(cert, 'CERT_CHAIN_INVALID').get(TCG_DICE_TCB_INFO)
  if (extension === undefined)
    throw invalid(`the FWID extension (${TCG_DICE_TCB_INFO}) of the signing certificate is missing`)
  if (extension.value.length < FWID_SIZE) throw invalid('the FWID extension is too short')
  return Buffer.from(extension.value.subarray(extension.value.length - FWID_SIZE)).toString('hex')
}

/** What a validated chain gives: the signing certificate and its FWID. */
export interface NvidiaSigner {
  readonly leaf: X509Certificate
  readonly fwid: string
}

/**
 * Validates the chain against `root` at time `at`: the last certificate is the root, the leaf has
 * an FWID, and the path (signatures, validity at `at`, CA constraints) is `verifyCertificateChain`'s.
 */
export function verifyNvidiaChain(chain: readonly X509Certificate[], root: X509Certificate, at: Date): NvidiaSigner {
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
  const fwid = fwidOfCertificate(leaf)
  verifyCertificateChain({ leaf, intermediates: chain.slice(1, -1), trustedRoots: [root], at })
  return { leaf, fwid }
}

/**
 * The report's FWID must be the one the signing certificate was issued for; otherwise the chain
 * is not the chain of the firmware that signed (CERT_CHAIN_INVALID).
 */
export function checkReportFwid(signer: NvidiaSigner, reportFwid: string | undefined): void {
  if (reportFwid === undefined) throw new VerificationError('EVIDENCE_MALFORMED', 'NVIDIA report carries no fwid')
  if (signer.fwid !== reportFwid.toLowerCase()) {
    throw new VerificationError(
      'CERT_CHAIN_INVALID',
      `NVIDIA report fwid ${reportFwid} is not the signing certificate's ${signer.fwid}`,
    )
  }
}
