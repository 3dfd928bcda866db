export * from './verifier.ts'
export * from './verifier-table.ts'
export { createSampleVerifier } from './sample/sample-verifier.ts'
export { createSampleDeviceVerifier } from './sampledevice/sampledevice-verifier.ts'
