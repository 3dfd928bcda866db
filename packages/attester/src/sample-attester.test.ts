import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AttesterError } from './attester-error.ts'
import { createAttester, createSampleAttester, createSampleDeviceAttester } from './sample-attester.ts'

test('sample evidence is {"svn":"1","report_data":<std base64>} with the report data as-is', async () => {
  const attester = createSampleAttester()
  assert.equal(attester.tee, 'sample')
  const reportData = Uint8Array.from([0xfb, 0xff, 0x00, 0x01, 0x3e])
  const evidence = await attester.evidence(reportData)
  assert.equal(JSON.stringify(evidence), '{"svn":"1","report_data":"+/8AAT4="}')
})

test('sample evidence keeps a 48-byte digest unpadded', async () => {
  const reportData = new Uint8Array(48).fill(7)
  const evidence = await createSampleAttester().evidence(reportData)
  assert.deepEqual(evidence, { svn: '1', report_data: Buffer.alloc(48, 7).toString('base64') })
})

test('sampledevice evidence has svn "2"', async () => {
  const attester = createSampleDeviceAttester()
  assert.equal(attester.tee, 'sampledevice')
  assert.deepEqual(await attester.evidence(Uint8Array.from([1, 2, 3])), { svn: '2', report_data: 'AQID' })
})

test('createAttester knows only the sample TEEs', () => {
  assert.equal(createAttester('sample').tee, 'sample')
  assert.equal(createAttester('sampledevice').tee, 'sampledevice')
  assert.throws(
    () => createAttester('tdx'),
    (error: unknown) => error instanceof AttesterError && error.code === 'UNSUPPORTED_TEE',
  )
})
