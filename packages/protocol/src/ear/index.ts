export * from './trust-tier.ts'
export * from './ear-claims.ts'
export * from './json-pointer.ts'
export * from './tee-pubkey-claims.ts'
