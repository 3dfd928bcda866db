/**
 * The typed, fully-defaulted KBS configuration. File keys keep upstream Trustee's snake_case
 * spelling; this model uses camelCase. Some variants parse but are not served by Carapace
 * (marked "not served"): the server decides at start-up whether it supports them.
 */

export type StorageType = 'Memory' | 'LocalFs' | 'LocalJson' | 'Postgres' | 'Redis'

export type TlsProfile = 'old' | 'intermediate' | 'modern' | 'custom'
export type TlsVersion = '1.2' | '1.3'

export interface HttpServerConfig {
  readonly sockets: readonly string[]
  readonly insecureHttp: boolean
  readonly privateKey?: string
  readonly certificate?: string
  /** Request body limit in MiB (upstream `payload_request_size`). */
  readonly payloadRequestSizeMiB: number
  /** Undefined: one worker per logical CPU, as upstream. */
  readonly workerCount?: number
  readonly tlsProfile: TlsProfile
  readonly tlsMinVersion?: TlsVersion
  readonly tlsMaxVersion?: TlsVersion
  readonly tlsCiphers?: string
  readonly tlsGroups?: string
  /** Per-client-IP limit on `POST /kbs/v0/auth` (requests per second); undefined: no limit. */
  readonly authRateLimitPerSecond?: number
  readonly authRateLimitBurst?: number
  /** Set only by `defaultKbsConfig`: create a self-signed key/certificate at these paths if absent. */
  readonly generateCertificateIfMissing?: boolean
}

export type AuthorizationMode = 'InsecureAllowAll' | 'DenyAll' | 'AuthenticatedAuthorization'

export interface IdentityProvider {
  readonly issuer?: string
  readonly audience?: string
  readonly publicKeyUri?: string
  readonly jwkSetUri?: string
  /**
   * Only for identity providers mapped from pre-v0.18 admin keys (`auth_public_key`, Simple
   * personas): their tokens carry no `role` claim; treat them as this role.
   */
  readonly legacyRole?: string
}

export interface RegexAcl {
  readonly role: string
  readonly allowedEndpoints: string
}

export interface AdminConfig {
  readonly authorizationMode: AuthorizationMode
  readonly identityProviders: readonly IdentityProvider[]
  readonly acls: readonly RegexAcl[]
  /** Set only by `defaultKbsConfig`: generate an Ed25519 admin key pair if absent. */
  readonly generatedKey?: { readonly privateKeyPath: string; readonly publicKeyPath: string }
}

export interface AttestationTokenConfig {
  readonly trustedCertsPaths: readonly string[]
  readonly trustedJwkSets: readonly string[]
  readonly extraTeekeyPaths: readonly string[]
  readonly insecureHeaderJwk: boolean
}

export interface TokenSignerConfig {
  readonly keyPath: string
  readonly certPath?: string
  readonly certUrl?: string
  /** Set only by `defaultKbsConfig`: generate an ES256 key (and certificate) if absent. */
  readonly generateIfMissing?: boolean
}

export interface TokenBrokerConfig {
  readonly durationMin: number
  readonly issuerName: string
  readonly developerName: string
  /** Undefined: the server fills in its package name and version. */
  readonly buildName?: string
  readonly profileName: string
  readonly verboseToken: boolean
  /** Undefined: an ephemeral key is generated at start (upstream behaviour). */
  readonly signer?: TokenSignerConfig
}

export type RvpsConfig =
  | {
      readonly type: 'BuiltIn'
      /** Overrides `storageBackend.storageType` for reference values. */
      readonly storageType?: StorageType
      /** Provenance extractor options, passed through unvalidated. */
      readonly extractors?: Readonly<Record<string, unknown>>
      /** From the deprecated `rvps_config.storage` table: RVPS's own storage. */
      readonly legacyStorage?: StorageBackendConfig
      /** From the deprecated `rvps_config.storage.file_path`: a file of reference values. */
      readonly legacyFilePath?: string
    }
  /** Not served. */
  | { readonly type: 'GrpcRemote'; readonly address: string }

export interface SnpVcekSource {
  readonly type: 'KDS' | 'OfflineStore'
  readonly baseUrl?: string
  readonly path?: string
}

export interface VerifierConfig {
  readonly snpVerifier?: { readonly vcekSources: readonly SnpVcekSource[] }
  readonly dcapVerifier?: {
    readonly collateralService?: string
    readonly tcbUpdateType?: 'early' | 'standard'
  }
  readonly nvidiaVerifier?: { readonly type: 'Local' | 'Remote'; readonly verifierUrl?: string }
  readonly tpmVerifier?: { readonly trustedAkKeysDir?: string }
  readonly nvidiaDpuVerifier?: {
    readonly rootCaCertPath?: string
    readonly maxCertAgeSecs?: number
  }
}

export interface BuiltinAttestationService {
  readonly type: 'coco_as_builtin'
  readonly timeoutMin: number
  readonly rvpsConfig: RvpsConfig
  readonly attestationTokenBroker: TokenBrokerConfig
  readonly verifierConfig: VerifierConfig
  /** Overrides `storageBackend.storageType` for AS policies. */
  readonly storageType?: StorageType
}

/** Not served. */
export interface GrpcAttestationService {
  readonly type: 'coco_as_grpc'
  readonly timeoutMin: number
  readonly asAddr: string
  readonly poolSize: number
}

/** Not served. */
export interface IntelTrustAuthorityService {
  readonly type: 'intel_ta'
  readonly timeoutMin: number
  readonly baseUrl: string
  readonly apiKey: string
  readonly certsFile: string
  readonly policyIds: readonly string[]
  readonly allowUnmatchedPolicy: boolean
}

/** Not served. */
export interface KeylimeAttestationService {
  readonly type: 'keylime'
  readonly timeoutMin: number
  readonly baseUrl: string
  readonly apiVersionMajor: number
  readonly apiVersionMinor: number
  readonly cvCaPath: string
}

export type AttestationServiceConfig =
  BuiltinAttestationService | GrpcAttestationService | IntelTrustAuthorityService | KeylimeAttestationService

export interface StorageBackendConfig {
  readonly storageType: StorageType
  readonly backends: {
    readonly localFs?: { readonly dirPath: string }
    readonly localJson?: { readonly fileDirPath: string }
    /** Not served yet. */
    readonly postgres?: {
      readonly db?: string
      readonly username?: string
      readonly password?: string
      readonly host?: string
      readonly port?: number
    }
    /** Not served. */
    readonly redis?: { readonly url?: string }
  }
}

export type ResourceBackendType = 'kvstorage' | 'LocalFs' | 'Aliyun' | 'Aws' | 'Gcp' | 'Vault'

export interface ResourcePluginConfig {
  readonly name: 'resource'
  /** `kvstorage` is the unified storage backend; the others are not served. */
  readonly storageBackendType: ResourceBackendType
  /** `LocalFs` only (pre-v0.12 `type = "LocalFs"`): the repository directory. */
  readonly dirPath?: string
  /** Backend-specific keys of the cloud/Vault backends, passed through (not served). */
  readonly options: Readonly<Record<string, unknown>>
}

/** Any other plugin (sample, nebula-ca, pkcs11, external, …): not served; keys passed through. */
export interface OtherPluginConfig {
  readonly name: string
  readonly options: Readonly<Record<string, unknown>>
}

export type PluginConfig = ResourcePluginConfig | OtherPluginConfig

export interface KbsConfig {
  readonly httpServer: HttpServerConfig
  readonly admin: AdminConfig
  readonly attestationToken: AttestationTokenConfig
  readonly attestationService: AttestationServiceConfig
  readonly storageBackend: StorageBackendConfig
  /** Resolved: `session_storage_type`, else `storage_backend.storage_type`. */
  readonly sessionStorageType: StorageType
  readonly plugins: readonly PluginConfig[]
  /** From the deprecated `[policy_engine] policy_path`: a resource policy file to import. */
  readonly legacyResourcePolicyPath?: string
}
