import type { BuiltinDef } from './builtin.ts'
import { collectionsBuiltins } from './collections/index.ts'
import { extrasBuiltins } from './extras/index.ts'
import { textBuiltins } from './text/index.ts'
import { timeNetCryptoBuiltins } from './time-net-crypto/index.ts'

/** Every builtin the engine knows, by name. Host functions are added per compile. */
export const BUILTINS: ReadonlyMap<string, BuiltinDef> = new Map(
  [...collectionsBuiltins, ...textBuiltins, ...timeNetCryptoBuiltins, ...extrasBuiltins].map((b) => [b.name, b]),
)
