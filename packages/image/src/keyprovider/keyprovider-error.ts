import { CocoError } from '@carapace/protocol'

export type KeyProviderErrorCode =
  /** The request is not ocicrypt's §4.3 JSON (not JSON, wrong op, missing optsdata/annotation, bad base64). */
  | 'BAD_REQUEST'
  /** The provider parameters (`k=v::k=v`) are missing, ambiguous or unusable. */
  | 'BAD_PARAMETERS'
  /** The KEK named by `keypath` cannot be read or is not 32 bytes. */
  | 'KEK_UNAVAILABLE'
  /** The new KEK could not be stored in the KBS; the wrapped key is withheld. */
  | 'KBS_REGISTER_FAILED'
  /** UnWrapKey on a provider that has no way to obtain KEKs (upstream coco_keyprovider behaviour). */
  | 'UNIMPLEMENTED'
  /** The annotation is not an AnnotationPacket, or no known KEK opens it. */
  | 'UNWRAP_FAILED'
  /** OCICRYPT_KEYPROVIDER_CONFIG is not the JSON ocicrypt reads. */
  | 'INVALID_CONFIG'
  /** A configured provider could not be reached, failed, or answered something that is not §4.3 JSON. */
  | 'PROVIDER_FAILED'

export class KeyProviderError extends CocoError<KeyProviderErrorCode> {}
