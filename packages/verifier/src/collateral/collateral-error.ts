import { CocoError } from '@carapace/protocol'

export type CollateralErrorCode =
  /** The vendor service answered with an HTTP status other than 200/404 (after retries for 429/5xx). */
  | 'HTTP_ERROR'
  /** HTTP 429 persisted after the bounded retries (or Retry-After asked for longer than allowed). */
  | 'RATE_LIMITED'
  /** A request did not complete within its timeout. */
  | 'TIMEOUT'
  /** The service could not be reached (connection refused, DNS, reset). */
  | 'NETWORK_ERROR'
  /** A body, header, file or bundle entry is not what the vendor serves (bad JSON, PEM, DER, index). */
  | 'MALFORMED'
  /** The object is for another platform than asked (FMSPC, TEE, product, CA, signer). */
  | 'MISMATCH'
  /** Reading or writing the cache, a bundle or a collateral folder failed. */
  | 'IO_ERROR'

/** A collateral source failed; `code` says how. Verifiers wrap it as `COLLATERAL_UNAVAILABLE`. */
export class CollateralError extends CocoError<CollateralErrorCode> {}
