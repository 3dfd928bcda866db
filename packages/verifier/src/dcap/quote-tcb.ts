import type { CollateralItem } from '../collateral/collateral-source.ts'
import type { CertificateRevocationList } from '../pkix/crl.ts'
import { VerificationError } from '../verifier.ts'
import { evaluateDcapCollateral, tcbStatusClaims, type ServedCollateral } from './collateral-evaluate.ts'
import type { QeReportIdentity, TdTcb } from './tcb-inputs.ts'
import type { DcapQuote } from './quote-parse.ts'
import type { DcapTcbEvaluator } from './quote-verify.ts'
import { getCollateral } from '../collateral/get-collateral.ts'

const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex')

function served(item: CollateralItem | undefined, what: string): ServedCollateral {
  if (item === undefined) throw new VerificationError('COLLATERAL_UNAVAILABLE', `no Intel ${what}`)
  if (item.issuerChain === undefined) {
    throw new VerificationError('COLLATERAL_UNAVAILABLE', `no issuer chain for the Intel ${what}`)
  }
  return { body: item.body, issuerChain: item.issuerChain }
}

/** A serial as `X509Certificate.serialNumber` spells it (upper-case hex, sign octet dropped). */
function hexSerial(serial: Uint8Array): string {
  const bytes = serial.length > 1 && serial[0] === 0 ? serial.subarray(1) : serial
  return Buffer.from(bytes).toString('hex').toUpperCase()
}

/** Serials per CRL object: the PCK chain step hands over the same (remembered) CRL object per content. */
const crlSerials = new WeakMap<CertificateRevocationList, ReadonlySet<string>>()

function revokedSerials(crl: CertificateRevocationList): ReadonlySet<string> {
  let serials = crlSerials.get(crl)
  if (serials === undefined) {
    serials = new Set(crl.revoked.map((r) => hexSerial(r.serial)))
    crlSerials.set(crl, serials)
  }
  return serials
}

/** The QE report fields the QE Identity is matched against. */
export function qeReportIdentity(quote: DcapQuote): QeReportIdentity {
  const r = quote.qe.qeReport
  const u16 = (at: number): number => (r[at] ?? 0) | ((r[at + 1] ?? 0) << 8)
  return {
    miscselect: r.subarray(16, 20),
    attributes: r.subarray(48, 64),
    mrsigner: r.subarray(128, 160),
    isvprodid: u16(256),
    isvsvn: u16(258),
  }
}

/** The TD report's TCB fields (TEE_TCB_SVN, MRSIGNER_SEAM, SEAM attributes, TDX 1.5 TEE_TCB_SVN2). */
export function tdTcb(quote: DcapQuote): TdTcb | undefined {
  if (quote.bodyKind === 'sgx') return undefined
  const b = quote.body
  // No spreads on this per-call path (V8 on Node 20 adds properties after a spread slowly).
  const td: { -readonly [K in keyof TdTcb]: TdTcb[K] } = {
    teeTcbSvn: b.subarray(0, 16),
    mrSignerSeam: b.subarray(64, 112),
    seamAttributes: b.subarray(112, 120),
  }
  if (quote.bodyKind === 'td15') td.teeTcbSvn2 = b.subarray(584, 600)
  return td
}

/**
 * The TCB step of the tdx/sgx verifiers: TCB Info (per FMSPC) and QE Identity from the collateral,
 * verified and evaluated by `evaluateDcapCollateral` (Intel's rules); collateral past its
 * `nextUpdate` is refused (CERT_EXPIRED), missing collateral is COLLATERAL_UNAVAILABLE.
 */
export const evaluateQuoteTcb: DcapTcbEvaluator = async ({ tee, quote, pck, at, collateral }) => {
  const ext = pck.extensions
  const tcbInfo = served(
    await getCollateral(collateral, { kind: 'intel-tcb-info', tee, fmspc: hex(ext.fmspc) }),
    'TCB Info',
  )
  const qeIdentity = served(await getCollateral(collateral, { kind: 'intel-qe-identity', tee }), 'QE Identity')
  const td = tdTcb(quote)
  const verdict = evaluateDcapCollateral({
    tee,
    tcbInfo,
    qeIdentity,
    trust: {
      root: pck.root,
      rootCrlRevokedSerials: revokedSerials(pck.rootCrl),
    },
    at,
    pck: { fmspc: ext.fmspc, pceId: ext.pceId, sgxTcbComponents: ext.compSvns, pcesvn: ext.pceSvn },
    qeReport: qeReportIdentity(quote),
    td,
    rejectExpiredCollateral: true,
  })
  // The quote verifier dates all collateral (the PCK chain and CRLs too) and sets the expiry status.
  return {
    claims: tcbStatusClaims(verdict),
    issued: [verdict.dates.earliestIssue, verdict.dates.latestIssue],
    expires: [verdict.dates.earliestExpiration],
  }
}
