export * from './verifier/verifier.ts'
export * from './verifier/verifier-table.ts'
export { createSampleVerifier } from './verifier/sample/sample-verifier.ts'
export { createSampleDeviceVerifier } from './verifier/sampledevice/sampledevice-verifier.ts'
