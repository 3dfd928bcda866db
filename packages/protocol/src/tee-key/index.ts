export * from './tee-pubkey.ts'
export * from './tee-key-pair.ts'
export * from './tee-key-pem.ts'
