import type { BuiltinDef } from '../builtin.ts'

export const textBuiltins: readonly BuiltinDef[] = []
