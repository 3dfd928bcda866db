import type { BuiltinDef } from '../builtin.ts'

export const extrasBuiltins: readonly BuiltinDef[] = []
