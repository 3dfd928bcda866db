import type { Tee } from '@carapace/protocol'
import type { Attester } from './attester.ts'
import { AttesterError } from './attester-error.ts'

/** guest-components `sample` evidence: the report data as-is, standard base64 with padding. */
export interface SampleEvidence {
  svn: string
  report_data: string
}

function sampleEvidence(svn: string, reportData: Uint8Array): SampleEvidence {
  return { svn, report_data: Buffer.from(reportData).toString('base64') }
}

/** The `sample` primary attester (`svn` "1"): no hardware, for tests and development. */
export function createSampleAttester(): Attester {
  return { tee: 'sample', evidence: (reportData) => Promise.resolve({ ...sampleEvidence('1', reportData) }) }
}

/** The `sampledevice` additional (device) attester (`svn` "2"). */
export function createSampleDeviceAttester(): Attester {
  return { tee: 'sampledevice', evidence: (reportData) => Promise.resolve({ ...sampleEvidence('2', reportData) }) }
}

/** The attester for a TEE name; only the sample ones exist without hardware. */
export function createAttester(tee: Tee): Attester {
  if (tee === 'sample') return createSampleAttester()
  if (tee === 'sampledevice') return createSampleDeviceAttester()
  throw new AttesterError('UNSUPPORTED_TEE', `no attester for TEE ${JSON.stringify(tee)} in this build`)
}
