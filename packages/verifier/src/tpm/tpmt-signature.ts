import { VerificationError } from '../verifier.ts'
import { hex16, TPM_ALG } from './tpm-alg.ts'
import { TpmReader, TpmWriter } from './tpm-reader.ts'

/** A TPMT_SIGNATURE of one of the schemes an attestation key signs quotes with. */
export type TpmtSignature =
  | { readonly sigAlg: typeof TPM_ALG.RSASSA | typeof TPM_ALG.RSAPSS; readonly hash: number; readonly sig: Uint8Array }
  | { readonly sigAlg: typeof TPM_ALG.ECDSA; readonly hash: number; readonly r: Uint8Array; readonly s: Uint8Array }

/** Parses a marshalled TPMT_SIGNATURE (RSASSA, RSAPSS or ECDSA); other schemes are `EVIDENCE_MALFORMED`. */
export function parseTpmtSignature(bytes: Uint8Array): TpmtSignature {
  const r = new TpmReader(bytes, 'TPMT_SIGNATURE')
  const sigAlg = r.u16('sigAlg')
  const hash = r.u16('hash')
  let signature: TpmtSignature
  if (sigAlg === TPM_ALG.RSASSA || sigAlg === TPM_ALG.RSAPSS) {
    signature = { sigAlg, hash, sig: r.tpm2b('sig') }
  } else if (sigAlg === TPM_ALG.ECDSA) {
    signature = { sigAlg, hash, r: r.tpm2b('signatureR'), s: r.tpm2b('signatureS') }
  } else {
    throw new VerificationError(
      'EVIDENCE_MALFORMED',
      `TPMT_SIGNATURE: signature scheme ${hex16(sigAlg)} is not supported`,
    )
  }
  r.end()
  return signature
}

export function marshalTpmtSignature(signature: TpmtSignature): Uint8Array {
  const w = new TpmWriter().u16(signature.sigAlg).u16(signature.hash)
  if (signature.sigAlg === TPM_ALG.ECDSA) return w.tpm2b(signature.r).tpm2b(signature.s).finish()
  return w.tpm2b(signature.sig).finish()
}
