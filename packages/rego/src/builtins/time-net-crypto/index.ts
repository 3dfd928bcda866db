import type { BuiltinDef } from '../builtin.ts'
import { hashBuiltins } from './crypto/hash-builtins.ts'
import { x509Builtins } from './crypto/x509-builtins.ts'
import { netBuiltins } from './net/net-builtins.ts'
import { timeBuiltins } from './time/time-builtins.ts'

export const timeNetCryptoBuiltins: readonly BuiltinDef[] = [...timeBuiltins, ...netBuiltins, ...hashBuiltins, ...x509Builtins]
