import type { X509Certificate } from 'node:crypto'

/** A certificate's validity period in epoch milliseconds. */
export interface CertValidity {
  readonly from: number
  readonly to: number
}

/*
 * `validFrom`/`validTo` are strings in OpenSSL's print format; parsing them into dates costs more than
 * a signature check's bookkeeping, so each certificate object's period is parsed once. The period is
 * part of the certificate, so only the comparison with the verification time runs per call.
 */
const periods = new WeakMap<X509Certificate, CertValidity>()

export function validityOf(cert: X509Certificate): CertValidity {
  let period = periods.get(cert)
  if (period === undefined) {
    period = { from: new Date(cert.validFrom).getTime(), to: new Date(cert.validTo).getTime() }
    periods.set(cert, period)
  }
  return period
}

/** Whether `at` lies inside the certificate's validity period (bounds included). */
export function validAt(cert: X509Certificate, at: Date): boolean {
  const { from, to } = validityOf(cert)
  const t = at.getTime()
  return t >= from && t <= to
}
