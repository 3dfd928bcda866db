export * from './errors.ts'
export * from './jcs/index.ts'
export * from './rcar/index.ts'
export * from './resource/index.ts'
