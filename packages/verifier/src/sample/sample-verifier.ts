import type { JsonObject } from '@carapace/protocol'
import { base64Field, bytesEqual, evidenceObject, stringField } from '../evidence-json.ts'
import { VerificationError, type Verifier } from '../verifier.ts'

/**
 * Trustee's `sample` verifier (class cpu): evidence `{"svn":"1","report_data":"<std b64>"}`, no
 * cryptography. The report data must equal the expected digest byte for byte; the init-data
 * digest is not checked but echoed as the claim `init_data` (standard base64).
 */
export function createSampleVerifier(): Verifier {
  return {
    verify(evidence, expected) {
      // A promise executor turns a throw into a rejection.
      return new Promise((resolve) => {
        const object = evidenceObject(evidence, 'sample')
        const svn = stringField(object, 'svn', 'sample')
        const reportData = base64Field(object, 'report_data', 'sample')
        if (expected.reportData !== undefined && !bytesEqual(reportData, expected.reportData)) {
          throw new VerificationError(
            'REPORT_DATA_MISMATCH',
            'sample evidence: report data does not match the runtime data',
          )
        }
        const claims: JsonObject = {
          svn,
          report_data: stringField(object, 'report_data', 'sample'),
          launch_digest: 'abcde',
          platform_version: { major: 1, minor: 4 },
          debug: false,
        }
        if (expected.initDataDigest !== undefined) {
          claims['init_data'] = Buffer.from(expected.initDataDigest).toString('base64')
        }
        resolve([{ claims, teeClass: 'cpu' }])
      })
    },
  }
}
