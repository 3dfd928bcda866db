export * from './attester.ts'
export * from './attester-error.ts'
export * from './sample-attester.ts'
export * from './tpm/tpm-attester.ts'
