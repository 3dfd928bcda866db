import type { BuiltinDef } from '../builtin.ts'

export const collectionsBuiltins: readonly BuiltinDef[] = []
