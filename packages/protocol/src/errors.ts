/**
 * Base of every coded error in Carapace. Each package has a closed union of codes and one or two
 * subclasses; callers branch on `code`. HTTP status and exit codes are mapped at the edge.
 */
export class CocoError<Code extends string = string> extends Error {
  readonly code: Code
  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.name = new.target.name
  }
}

export type ProtocolErrorCode =
  | 'MALFORMED'
  | 'UNSUPPORTED_VERSION'
  | 'UNSUPPORTED_TEE'
  | 'UNSUPPORTED_ALGORITHM'
  | 'INVALID_RESOURCE_PATH'
  | 'JWE_ERROR'

/** A message that does not follow the wire format, or a crypto operation on it that failed. */
export class ProtocolError extends CocoError<ProtocolErrorCode> {}
