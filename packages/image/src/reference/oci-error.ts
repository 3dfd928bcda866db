import { CocoError } from '@carapace/protocol'

export type OciErrorCode =
  /** A `docker://…` / `oci:…` reference or a docker reference that does not parse. */
  | 'INVALID_REFERENCE'
  /** A caller argument is unusable (bad option, bad descriptor). */
  | 'INVALID_ARGUMENT'
  /** An OCI layout directory that is missing or malformed (`oci-layout`, `index.json`). */
  | 'INVALID_LAYOUT'
  /** The tag, manifest, blob or repository does not exist. */
  | 'NOT_FOUND'
  /** Content whose sha256 is not the digest it was asked for or announced with. */
  | 'DIGEST_MISMATCH'
  /** Content whose length is not the size in its descriptor. */
  | 'SIZE_MISMATCH'
  /** A manifest or blob larger than the configured limit. */
  | 'TOO_LARGE'
  /** A manifest/index media type we do not handle (Docker schema 1, unknown types). */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** A manifest or index that is not valid JSON of the expected shape. */
  | 'MALFORMED_MANIFEST'
  /** An image index without an entry for the requested platform. */
  | 'NO_MATCHING_PLATFORM'
  /** The registry refused our credentials or token (401/403 after authenticating). */
  | 'UNAUTHORIZED'
  /** Any other unexpected status or response from the registry. */
  | 'REGISTRY_ERROR'
  /** No response: connection refused, reset, timeout, TLS failure. */
  | 'NETWORK'

export interface OciErrorDetails {
  cause?: unknown
  /** HTTP status of the failing registry response, when there was one. */
  status?: number
}

/** Every failure of references, layouts and the registry client. */
export class OciError extends CocoError<OciErrorCode> {
  readonly status: number | undefined
  constructor(code: OciErrorCode, message: string, details: OciErrorDetails = {}) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause })
    this.status = details.status
  }
}
