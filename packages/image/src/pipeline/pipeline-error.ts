import { CocoError } from '@carapace/protocol'

export type PipelineErrorCode =
  /** A caller argument is unusable (layer index out of range, no recipient, bad key file). */
  | 'INVALID_ARGUMENT'
  /** The pull destination exists and is not an empty directory. */
  | 'DEST_EXISTS'
  /** The image config is missing, too large, not JSON, or its diff_ids do not fit the layers. */
  | 'INVALID_CONFIG'
  /** A layer or manifest type the pipeline does not handle. */
  | 'UNSUPPORTED_MEDIA_TYPE'
  /** A key (KEK from the CDH, key file) could not be obtained. */
  | 'KEY_UNAVAILABLE'
  /** The KEK could not be stored in the KBS: nothing was written. */
  | 'KEK_REGISTER_FAILED'
  /** Writing the pulled image to its destination failed. */
  | 'IO_FAILED'

/** A pull or encrypt pipeline failure of our own (errors of the building blocks pass through). */
export class PipelineError extends CocoError<PipelineErrorCode> {}
