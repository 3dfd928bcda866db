export * from './init-data-document.ts'
export * from './init-data-claims.ts'
