import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import { verifierContract } from '../verifier-contract.ts'
import { createSampleVerifier } from './sample-verifier.ts'

const digest = new Uint8Array(createHash('sha384').update('runtime data').digest())
const initDigest = new Uint8Array(createHash('sha256').update('init data').digest())
const evidenceText = JSON.stringify({ svn: '1', report_data: Buffer.from(digest).toString('base64') })

verifierContract('sample', () => ({
  verifier: createSampleVerifier(),
  golden: {
    evidence: evidenceText,
    expected: { reportData: digest, initDataDigest: initDigest },
    teeClass: 'cpu',
    claims: [
      {
        svn: '1',
        report_data: Buffer.from(digest).toString('base64'),
        launch_digest: 'abcde',
        platform_version: { major: 1, minor: 4 },
        debug: false,
        init_data: Buffer.from(initDigest).toString('base64'),
      },
    ],
  },
  wrongReportData: new Uint8Array(48),
  truncated: evidenceText.slice(0, evidenceText.length / 2),
}))

test('sample: without init data there is no init_data claim; bytes are accepted', async () => {
  const [result] = await createSampleVerifier().verify(new TextEncoder().encode(evidenceText), { reportData: digest })
  assert.ok(result !== undefined)
  assert.equal('init_data' in result.claims, false)
})

test('sample: report data is compared exactly (a zero-padded digest does not match)', async () => {
  const padded = new Uint8Array(64)
  padded.set(digest)
  await assert.rejects(createSampleVerifier().verify(evidenceText, { reportData: padded }), /report data/)
})
