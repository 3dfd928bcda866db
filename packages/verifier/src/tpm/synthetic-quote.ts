import { constants, sign, type KeyObject } from 'node:crypto'
import { TPM_ALG, tpmHash } from './tpm-alg.ts'
import { pcrDigestSha256 } from './pcr-digest.ts'
import { marshalTpmsAttestQuote, type TpmsAttestQuote } from './tpms-attest.ts'
import { marshalTpmtSignature, type TpmtSignature } from './tpmt-signature.ts'

export interface SyntheticQuoteInput {
  readonly key: KeyObject
  readonly scheme: 'rsassa' | 'rsapss' | 'ecdsa'
  readonly extraData: Uint8Array
  /** SHA-256 bank values for PCR 0, 1, … in order. */
  readonly pcrs: readonly Uint8Array[]
}

/**
 * A quote over `pcrs` made in software the way a TPM makes one (TPMS_ATTEST + TPMT_SIGNATURE with
 * SHA-256), for tests, fuzzing and benchmarks. Never evidence: its key is not a TPM's.
 */
export function syntheticQuote(input: SyntheticQuoteInput): { message: Uint8Array; signature: Uint8Array } {
  const attest: TpmsAttestQuote = {
    qualifiedSigner: new Uint8Array(34).fill(0x0b, 0, 1),
    extraData: input.extraData,
    clockInfo: { clock: 1234567n, resetCount: 2, restartCount: 0, safe: true },
    firmwareVersion: 0x2020031200120003n,
    pcrSelect: [{ hash: TPM_ALG.SHA256, pcrs: input.pcrs.map((_, i) => i), sizeOfSelect: 3 }],
    pcrDigest: pcrDigestSha256(input.pcrs),
  }
  const message = marshalTpmsAttestQuote(attest)
  const hash = TPM_ALG.SHA256
  let signature: TpmtSignature
  if (input.scheme === 'ecdsa') {
    const p1363 = sign(tpmHash(hash)?.name ?? 'sha256', message, { key: input.key, dsaEncoding: 'ieee-p1363' })
    const half = p1363.length / 2
    signature = { sigAlg: TPM_ALG.ECDSA, hash, r: p1363.subarray(0, half), s: p1363.subarray(half) }
  } else {
    const pss = input.scheme === 'rsapss'
    const sig = sign('sha256', message, {
      key: input.key,
      padding: pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING,
      saltLength: 32,
    })
    signature = { sigAlg: pss ? TPM_ALG.RSAPSS : TPM_ALG.RSASSA, hash, sig }
  }
  return { message, signature: marshalTpmtSignature(signature) }
}
