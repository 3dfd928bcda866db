/**
 * What the TCB evaluation needs from a quote, as plain values, so the quote parser (src/dcap/quote*,
 * src/dcap/pck*) hands them over without this module knowing the quote layout.
 */

/** From the PCK certificate's SGX extensions (OID 1.2.840.113741.1.13.1). */
export interface PckTcb {
  /** FMSPC, 6 bytes. */
  readonly fmspc: Uint8Array
  /** PCE-ID, 2 bytes. */
  readonly pceId: Uint8Array
  /** SGX TCB component SVNs 1–16 (the `sgxTcbComp01Svn`… extensions), in order. */
  readonly sgxTcbComponents: readonly number[]
  readonly pcesvn: number
}

/** From the TD report body (TDX quotes only). */
export interface TdTcb {
  /** TEE_TCB_SVN, 16 bytes: [0] TDX module SVN, [1] module major version, … */
  readonly teeTcbSvn: Uint8Array
  /** MRSIGNER_SEAM, 48 bytes. */
  readonly mrSignerSeam: Uint8Array
  /** SEAMATTRIBUTES, 8 bytes. */
  readonly seamAttributes: Uint8Array
  /** TEE_TCB_SVN2 of a TDX 1.5 body (quote v5 type 3), 16 bytes. */
  readonly teeTcbSvn2?: Uint8Array
}

/** From the QE report (the SGX report of the quoting enclave inside the quote's signature data). */
export interface QeReportIdentity {
  /** MISCSELECT, 4 bytes as they appear in the report. */
  readonly miscselect: Uint8Array
  /** ATTRIBUTES, 16 bytes. */
  readonly attributes: Uint8Array
  /** MRSIGNER, 32 bytes. */
  readonly mrsigner: Uint8Array
  readonly isvprodid: number
  readonly isvsvn: number
}
