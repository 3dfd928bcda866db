export * from './jwe-response.ts'
export * from './encrypt-response.ts'
export * from './decrypt-response.ts'
