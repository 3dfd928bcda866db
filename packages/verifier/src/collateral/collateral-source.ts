/**
 * Where verifiers get the vendors' collateral: AMD KDS (VCEK/VLEK, ASK/ASVK+ARK chains, CRLs),
 * Intel PCS (TCB Info, QE Identity, PCK CRL, root CA CRL) and NVIDIA roots. One request shape per
 * object a vendor service returns (and Hygon KDS's HSK/CEK pairs); implementations: a flat directory (`--collateral DIR`), the
 * vendors' HTTP services behind a disk cache, an offline bundle, and `firstOf` to chain them.
 */

export type SnpProduct = 'Milan' | 'Genoa' | 'Turin'

/** The reported TCB an AMD VCEK is issued for (the KDS query parameters). */
export interface SnpTcb {
  readonly bootloader: number
  readonly tee: number
  readonly snp: number
  readonly microcode: number
  /** Turin only. */
  readonly fmc?: number
}

export type IntelTee = 'sgx' | 'tdx'

export type CollateralRequest =
  /** The VCEK (DER) of one chip at one TCB: KDS `/vcek/v1/{product}/{hwid}?blSPL=…`. */
  | { readonly kind: 'amd-vcek'; readonly product: SnpProduct; readonly hwid: Uint8Array; readonly tcb: SnpTcb }
  /**
   * A cloud provider's VLEK (DER) for one product. AMD KDS does not serve VLEKs to the public (the
   * provider provisions them), so it is looked up by product only, from a folder, cache or bundle.
   */
  | { readonly kind: 'amd-vlek'; readonly product: SnpProduct }
  /** ASK+ARK (vcek) or ASVK+ARK (vlek) as KDS serves `/{vcek|vlek}/v1/{product}/cert_chain` (PEM). */
  | { readonly kind: 'amd-cert-chain'; readonly product: SnpProduct; readonly signer: 'vcek' | 'vlek' }
  /** KDS `/{vcek|vlek}/v1/{product}/crl` (DER). */
  | { readonly kind: 'amd-crl'; readonly product: SnpProduct; readonly signer: 'vcek' | 'vlek' }
  /** PCS v4 `/{sgx|tdx}/certification/v4/tcb?fmspc=…`: body JSON, issuer chain from `TCB-Info-Issuer-Chain`. */
  | { readonly kind: 'intel-tcb-info'; readonly tee: IntelTee; readonly fmspc: string }
  /** PCS v4 `/{sgx|tdx}/certification/v4/qe/identity`: body JSON, issuer chain from `SGX-Enclave-Identity-Issuer-Chain`. */
  | { readonly kind: 'intel-qe-identity'; readonly tee: IntelTee }
  /** PCS v4 `/sgx/certification/v4/pckcrl?ca=platform|processor&encoding=der`, issuer chain from `SGX-PCK-CRL-Issuer-Chain`. */
  | { readonly kind: 'intel-pck-crl'; readonly ca: 'platform' | 'processor' }
  /** The Intel SGX Root CA CRL (DER). */
  | { readonly kind: 'intel-root-ca-crl' }
  /** The NVIDIA device identity root (PEM). */
  | { readonly kind: 'nvidia-root' }
  /** A Hygon chip's HSK (832 bytes) + CEK (2084 bytes): Hygon KDS `/hsk_cek?snumber={chip}`. */
  | { readonly kind: 'hygon-hsk-cek'; readonly chipId: string }

export interface CollateralItem {
  /** The object exactly as the vendor serves it (DER, PEM or JSON bytes). */
  readonly body: Uint8Array
  /** PEM chain the vendor sends beside the object (Intel's `*-Issuer-Chain` headers), URL-decoded. */
  readonly issuerChain?: string
  /** When the object should be fetched again (CRL/TCB Info `nextUpdate`); absent: it does not expire. */
  readonly nextUpdate?: Date
}

export interface CollateralSource {
  /** The object, or `undefined` when this source does not have it; throws `CollateralError` on failure. */
  get(request: CollateralRequest): Promise<CollateralItem | undefined>
}

/** A stable key for a request: cache file names, single-flight maps, bundle entries. */
export function collateralKey(request: CollateralRequest): string {
  switch (request.kind) {
    case 'amd-vcek': {
      const t = request.tcb
      const fmc = t.fmc === undefined ? '' : `_fmc${String(t.fmc)}`
      const tcb = `bl${String(t.bootloader)}_tee${String(t.tee)}_snp${String(t.snp)}_ucode${String(t.microcode)}${fmc}`
      return `amd/${request.product}/vcek/${Buffer.from(request.hwid).toString('hex')}/${tcb}`
    }
    case 'amd-vlek':
      return `amd/${request.product}/vlek/vlek`
    case 'amd-cert-chain':
      return `amd/${request.product}/${request.signer}/cert_chain`
    case 'amd-crl':
      return `amd/${request.product}/${request.signer}/crl`
    case 'intel-tcb-info':
      return `intel/${request.tee}/tcb/${request.fmspc.toLowerCase()}`
    case 'intel-qe-identity':
      return `intel/${request.tee}/qe-identity`
    case 'intel-pck-crl':
      return `intel/pck-crl/${request.ca}`
    case 'intel-root-ca-crl':
      return 'intel/root-ca-crl'
    case 'nvidia-root':
      return 'nvidia/root'
    case 'hygon-hsk-cek':
      return `hygon/hsk_cek/${request.chipId}`
  }
}

/** Asks each source in turn; the first that has the object answers. */
export function firstOf(sources: readonly CollateralSource[]): CollateralSource {
  return {
    async get(request) {
      for (const source of sources) {
        const item = await source.get(request)
        if (item !== undefined) return item
      }
      return undefined
    },
  }
}

/** A source with nothing: verifiers then use only the evidence and the pinned roots. */
export const NO_COLLATERAL: CollateralSource = { get: () => Promise.resolve(undefined) }
