import { CocoError } from '@carapace/protocol'

export type OcicryptErrorCode =
  /** No key wrapper given for any `org.opencontainers.image.enc.keys.*` annotation of the layer. */
  | 'NO_KEY_FOR_LAYER'
  /** Unwrappers applied to the layer's annotations, but none of their keys opened any entry. */
  | 'WRONG_KEY'
  /** An unwrapper failed for another reason (KEK fetch, key provider error) and no other key succeeded. */
  | 'KEY_UNWRAP_FAILED'
  /** The HMAC over the ciphertext does not match `pubopts.hmac`: the layer was tampered with or truncated. */
  | 'HMAC_MISMATCH'
  /** The decrypt stream ended (destroyed, upstream error) before the HMAC could be checked. */
  | 'STREAM_ABORTED'
  /** An annotation, privopts/pubopts JSON, JWE or provider packet is not what ocicrypt writes. */
  | 'MALFORMED_ANNOTATION'
  /** A cipher, JWE algorithm or packet wrap type this implementation does not offer. */
  | 'UNSUPPORTED_CIPHER'
  /** The media type cannot be encrypted / decrypted (unknown base type, already encrypted, not encrypted). */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** Encryption produced no wrapped key (no recipient, or every wrapper declined). */
  | 'NO_WRAPPED_KEYS'
  /** Key material (public/private key, KEK) cannot be parsed or has the wrong size/type. */
  | 'INVALID_KEY'
  /** The key provider failed or answered something that is not §4.3 JSON. */
  | 'PROVIDER_FAILED'
  /** A caller-supplied option is unusable (IV/key length, descriptor fields). */
  | 'INVALID_OPTION'

export class OcicryptError extends CocoError<OcicryptErrorCode> {}
