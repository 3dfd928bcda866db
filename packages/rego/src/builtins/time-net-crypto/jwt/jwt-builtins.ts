import type { BuiltinDef } from '../../builtin.ts'
import { jwtDecodeBuiltins } from './jwt-decode.ts'
import { jwtEncodeBuiltins } from './jwt-encode.ts'
import { jwtVerifyBuiltins } from './jwt-verify.ts'

export const jwtBuiltins: readonly BuiltinDef[] = [...jwtDecodeBuiltins, ...jwtVerifyBuiltins, ...jwtEncodeBuiltins]
