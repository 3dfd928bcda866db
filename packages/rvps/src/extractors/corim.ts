import { RvpsError } from '../errors.ts'
import type { ExtractedReferenceValue } from '../reference-value.ts'

/**
 * The `corim` provenance (CBOR CoRIM with CoMID reference triples) is not implemented yet: a
 * message of this type is refused rather than half-read, whatever its payload.
 */
export function extractCorim(): ExtractedReferenceValue[] {
  throw new RvpsError('UNSUPPORTED_TYPE', 'provenance type "corim" is not supported by this RVPS yet')
}
