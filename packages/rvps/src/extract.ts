import { RvpsError } from './errors.ts'
import { extractCorim } from './extractors/corim.ts'
import { extractSample } from './extractors/sample.ts'
import { extractSwid } from './extractors/swid.ts'
import type { ExtractedReferenceValue } from './reference-value.ts'
import type { RegisterMessage } from './register-message.ts'

/** Provenance types with an extractor (upstream's set; `in-toto` was removed upstream). */
export type ProvenanceType = 'sample' | 'swid' | 'corim'

const EXTRACTORS: Readonly<Record<ProvenanceType, (payload: string) => ExtractedReferenceValue[]>> = {
  sample: extractSample,
  swid: extractSwid,
  corim: extractCorim,
}

function isProvenanceType(type: string): type is ProvenanceType {
  return Object.hasOwn(EXTRACTORS, type)
}

/** Runs the extractor of the message type over its payload. */
export function extractReferenceValues(message: RegisterMessage): ExtractedReferenceValue[] {
  if (!isProvenanceType(message.type)) {
    throw new RvpsError('UNSUPPORTED_TYPE', `no extractor for provenance type ${JSON.stringify(message.type)}`)
  }
  return EXTRACTORS[message.type](message.payload)
}
