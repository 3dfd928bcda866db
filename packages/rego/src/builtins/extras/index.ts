import type { BuiltinDef } from '../builtin.ts'
import { graphqlBuiltins } from './graphql/builtins.ts'

export const extrasBuiltins: readonly BuiltinDef[] = [...graphqlBuiltins]
