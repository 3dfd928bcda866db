import assert from 'node:assert/strict'
import { test } from 'node:test'
import { transformClaims } from './transform-claims.ts'

const claims = {
  svn: '1',
  report_data: 'cmQ=',
  launch_digest: 'abcde',
  platform_version: { major: 1, minor: 4 },
  debug: false,
  init_data: 'aWQ=',
}
const runtime = { nonce: 'bm9uY2U=', 'tee-pubkey': { kty: 'EC' }, 'additional-evidence': '{"x":1}' }

test('report_data and init_data move to the top level with their claims', () => {
  assert.deepEqual(
    transformClaims({ tee: 'sample', claims, runtimeDataClaims: runtime, initDataClaims: { a: 'b' }, verbose: true }),
    {
      sample: { svn: '1', launch_digest: 'abcde', platform_version: { major: 1, minor: 4 }, debug: false },
      report_data: 'cmQ=',
      runtime_data_claims: runtime,
      init_data: 'aWQ=',
      init_data_claims: { a: 'b' },
    },
  )
})

test('verbose=false drops additional-evidence; absent fields bring no claims', () => {
  const out = transformClaims({
    tee: 'sampledevice',
    claims: { svn: '2', report_data: 'cmQ=' },
    runtimeDataClaims: runtime,
    initDataClaims: null,
    verbose: false,
  })
  assert.deepEqual(out, {
    sampledevice: { svn: '2' },
    report_data: 'cmQ=',
    runtime_data_claims: { nonce: 'bm9uY2U=', 'tee-pubkey': { kty: 'EC' } },
  })
  assert.deepEqual(
    transformClaims({
      tee: 'sample',
      claims: { svn: '3' },
      runtimeDataClaims: runtime,
      initDataClaims: null,
      verbose: true,
    }),
    { sample: { svn: '3' } },
  )
})
