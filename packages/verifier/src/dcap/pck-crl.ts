import { verify, type KeyObject } from 'node:crypto'
import { VerificationError } from '../verifier.ts'
import { children, DerError, derTime, expectTag, oidToString, readTlv, smallInteger, type Tlv } from './pck-der.ts'

/** An X.509 CRL, as far as the PCK checks use it. */
export interface Crl {
  readonly tbs: Uint8Array
  readonly signature: Uint8Array
  readonly thisUpdate: Date
  readonly nextUpdate?: Date
  /** Revoked serial numbers, lowercase hex without leading zeros. */
  readonly revoked: ReadonlySet<string>
  readonly crlNumber?: number
}

const CRL_NUMBER_OID = '2.5.29.20'

/** Serial-number hex without sign padding, for comparing a certificate's serial with CRL entries. */
export function normalizeSerial(hex: string): string {
  return hex.toLowerCase().replace(/^(00)+(?=.)/, '')
}

/** DER bytes of a CRL that may come as DER or as PEM text. */
export function crlDer(body: Uint8Array): Uint8Array {
  const text = Buffer.from(body.subarray(0, 32)).toString('latin1')
  if (!text.startsWith('-----BEGIN')) return body
  const pem = Buffer.from(body).toString('latin1')
  const m = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(pem)
  if (m === null) throw new DerError('PEM without an X509 CRL block')
  return new Uint8Array(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64'))
}

export function parseCrl(body: Uint8Array, what: string): Crl {
  try {
    const der = crlDer(body)
    const [tbsTlv, , sigTlv] = children(expectTag(readTlv(der).tlv, 0x30, 'CertificateList').value)
    const tbs = expectTag(tbsTlv, 0x30, 'tbsCertList')
    const sigBits = expectTag(sigTlv, 0x03, 'CRL signature')
    const fields = children(tbs.value)
    let i = fields[0]?.tag === 0x02 ? 1 : 0 // optional version
    i += 2 // signature algorithm, issuer
    const thisTlv = fields[i++]
    if (thisTlv === undefined) throw new DerError('CRL without thisUpdate')
    const thisUpdate = derTime(thisTlv)
    let nextUpdate: Date | undefined
    const maybeNext = fields[i]
    if (maybeNext !== undefined && (maybeNext.tag === 0x17 || maybeNext.tag === 0x18)) {
      nextUpdate = derTime(maybeNext)
      i++
    }
    const revoked = new Set<string>()
    let crlNumber: number | undefined
    for (const rest of fields.slice(i)) {
      if (rest.tag === 0x30) {
        for (const entry of children(rest.value)) {
          const serial = expectTag(children(expectTag(entry, 0x30, 'revoked entry').value)[0], 0x02, 'serial')
          revoked.add(normalizeSerial(Buffer.from(serial.value).toString('hex')))
        }
      } else if (rest.tag === 0xa0) {
        crlNumber = crlNumberOf(expectTag(children(rest.value)[0], 0x30, 'CRL extensions'))
      }
    }
    return {
      tbs: tbs.raw,
      signature: sigBits.value.subarray(1),
      thisUpdate,
      ...(nextUpdate === undefined ? {} : { nextUpdate }),
      revoked,
      ...(crlNumber === undefined ? {} : { crlNumber }),
    }
  } catch (cause) {
    if (!(cause instanceof DerError)) throw cause
    throw new VerificationError('COLLATERAL_INVALID', `${what}: not a CRL (${cause.message})`, { cause })
  }
}

function crlNumberOf(extensions: Tlv): number | undefined {
  for (const ext of children(extensions.value)) {
    const parts = children(expectTag(ext, 0x30, 'CRL extension').value)
    if (oidToString(expectTag(parts[0], 0x06, 'CRL extension id').value) !== CRL_NUMBER_OID) continue
    const value = expectTag(parts[parts.length - 1], 0x04, 'CRL number').value
    return smallInteger(expectTag(readTlv(value).tlv, 0x02, 'CRL number'))
  }
  return undefined
}

/** The CRL is signed by `issuer` and current at `at`; then whether `serialHex` is on it. */
export function checkCrl(crl: Crl, issuer: KeyObject, at: Date, what: string): void {
  let ok: boolean
  try {
    ok = verify('sha256', crl.tbs, issuer, crl.signature)
  } catch {
    ok = false
  }
  if (!ok) throw new VerificationError('COLLATERAL_INVALID', `${what}: signature does not verify with its issuer`)
  if (at < crl.thisUpdate || (crl.nextUpdate !== undefined && at > crl.nextUpdate)) {
    throw new VerificationError(
      'CERT_EXPIRED',
      `${what}: valid ${crl.thisUpdate.toISOString()}..${crl.nextUpdate?.toISOString() ?? '∞'}, not at ${at.toISOString()}`,
    )
  }
}
