import { createHash } from 'node:crypto'
import { verifierContract } from '../verifier-contract.ts'
import { createSampleDeviceVerifier } from './sampledevice-verifier.ts'

const digest = new Uint8Array(createHash('sha384').update('device runtime data').digest())
const evidence = { svn: '7', report_data: Buffer.from(digest).toString('base64') }
const text = JSON.stringify(evidence)

verifierContract('sampledevice', () => ({
  verifier: createSampleDeviceVerifier(),
  golden: {
    evidence,
    expected: { reportData: digest },
    teeClass: 'gpu',
    claims: [{ svn: '7', report_data: evidence.report_data }],
  },
  wrongReportData: new Uint8Array(digest.length),
  truncated: text.slice(0, 10),
}))
