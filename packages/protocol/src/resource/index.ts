export * from './resource-path.ts'
export * from './resource-uri.ts'
