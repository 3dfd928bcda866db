export {}
export * from './config/index.ts'
