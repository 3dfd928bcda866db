import type { BuiltinDef } from '../builtin.ts'

export const timeNetCryptoBuiltins: readonly BuiltinDef[] = []
