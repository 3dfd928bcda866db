/** How a signature's claimed identity must relate to the image being pulled (`signedIdentity`). */
export type SignedIdentity =
  | { readonly type: 'matchExact' }
  | { readonly type: 'matchRepoDigestOrExact' }
  | { readonly type: 'matchRepository' }
  | { readonly type: 'exactReference'; readonly dockerReference: string }
  | { readonly type: 'exactRepository'; readonly dockerRepository: string }
  | { readonly type: 'remapIdentity'; readonly prefix: string; readonly signedPrefix: string }

/**
 * One key given in the policy: a path (a file, or a `kbs:///repo/type/tag` URI resolved through the
 * injected resource fetcher) or inline bytes (`keyData`, already base64-decoded).
 */
export type KeyReference = { readonly path: string } | { readonly data: Buffer }

export interface FulcioConfig {
  readonly ca: KeyReference
  readonly oidcIssuer: string
  readonly subjectEmail: string
}

export interface PkiConfig {
  readonly caRoots: KeyReference
  readonly caIntermediates?: KeyReference
  readonly subjectEmail?: string
  readonly subjectHostname?: string
}

export interface InsecureAcceptAnythingRequirement {
  readonly type: 'insecureAcceptAnything'
}

export interface RejectRequirement {
  readonly type: 'reject'
}

export type GpgKeyType = 'GPGKeys' | 'signedByGPGKeys' | 'X509Certificates' | 'signedByX509CAs'

export interface SignedByRequirement {
  readonly type: 'signedBy'
  readonly keyType: GpgKeyType
  /** Keyrings (binary or ASCII-armored); each may hold several keys. */
  readonly keys: readonly KeyReference[]
  readonly signedIdentity: SignedIdentity
}

export interface SigstoreSignedRequirement {
  readonly type: 'sigstoreSigned'
  /** PEM public keys (one of keys / fulcio / pki is set). */
  readonly keys?: readonly KeyReference[]
  readonly fulcio?: FulcioConfig
  readonly pki?: PkiConfig
  readonly rekorPublicKeys?: readonly KeyReference[]
  readonly signedIdentity: SignedIdentity
}

/**
 * containers/image parses it (its `baseLayerIdentity` is a signedIdentity) and refuses every image
 * at evaluation ("not implemented yet"); so do we, so a policy naming it still loads.
 */
export interface SignedBaseLayerRequirement {
  readonly type: 'signedBaseLayer'
  readonly baseLayerIdentity: SignedIdentity
}

export type PolicyRequirement =
  | InsecureAcceptAnythingRequirement
  | RejectRequirement
  | SignedByRequirement
  | SigstoreSignedRequirement
  | SignedBaseLayerRequirement

/** A parsed containers-policy.json. */
export interface Policy {
  readonly default: readonly PolicyRequirement[]
  /** transport name → scope → requirements; scope `""` is the transport's default. */
  readonly transports: ReadonlyMap<string, ReadonlyMap<string, readonly PolicyRequirement[]>>
}
