import { base64Field, bytesEqual, evidenceObject, stringField } from '../evidence-json.ts'
import { VerificationError, type Verifier } from '../verifier.ts'

/**
 * Trustee's `sampledevice` verifier (class gpu): the sample evidence shape, report data compared
 * exactly, claims `svn` and `report_data` only; init data is not supported.
 */
export function createSampleDeviceVerifier(): Verifier {
  return {
    verify(evidence, expected) {
      // A promise executor turns a throw into a rejection.
      return new Promise((resolve) => {
        const object = evidenceObject(evidence, 'sampledevice')
        const svn = stringField(object, 'svn', 'sampledevice')
        const reportData = base64Field(object, 'report_data', 'sampledevice')
        if (expected.reportData !== undefined && !bytesEqual(reportData, expected.reportData)) {
          throw new VerificationError(
            'REPORT_DATA_MISMATCH',
            'sampledevice evidence: report data does not match the runtime data',
          )
        }
        resolve([{ claims: { svn, report_data: stringField(object, 'report_data', 'sampledevice') }, teeClass: 'gpu' }])
      })
    },
  }
}
