import type { BuiltinDef } from '../builtin.ts'
import { hashBuiltins } from './crypto/hash-builtins.ts'
import { x509Builtins } from './crypto/x509-builtins.ts'
import { jwtBuiltins } from './jwt/jwt-builtins.ts'
import { lookupBuiltins } from './net/lookup-ip-addr.ts'
import { netBuiltins } from './net/net-builtins.ts'
import { timeBuiltins } from './time/time-builtins.ts'

/** time.*, net.cidr_*, crypto.* and io.jwt.* with OPA's semantics. */
export const timeNetCryptoBuiltins: readonly BuiltinDef[] = [
  ...timeBuiltins,
  ...netBuiltins,
  ...lookupBuiltins,
  ...hashBuiltins,
  ...x509Builtins,
  ...jwtBuiltins,
]
