export * from './json-value.ts'
export * from './canonicalize.ts'
