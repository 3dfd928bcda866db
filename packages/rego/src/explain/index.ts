export * from './explain-rule.ts'
export type { ReferencedValue } from './referenced-values.ts'
