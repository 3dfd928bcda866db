import type { BuiltinDef } from '../builtin.ts'
import { aggregateBuiltins } from './aggregates.ts'
import { arithmeticBuiltins } from './arithmetic.ts'
import { arrayBuiltins } from './arrays.ts'
import { bitsBuiltins } from './bits.ts'
import { castBuiltins } from './casts.ts'
import { comparisonBuiltins } from './comparison.ts'
import { deprecatedBuiltins } from './deprecated.ts'
import { graphBuiltins } from './graph.ts'
import { jsonPatchBuiltins } from './json-patch.ts'
import { jsonPathBuiltins } from './json-paths.ts'
import { membershipBuiltins } from './membership.ts'
import { numberBuiltins } from './numbers.ts'
import { objectBuiltins } from './objects.ts'
import { setBuiltins } from './sets.ts'
import { typeBuiltins } from './types.ts'
import { walkBuiltins } from './walk.ts'

/** Operators, numbers, aggregates, arrays, sets, objects, JSON paths, types, bits, graphs. */
export const collectionsBuiltins: readonly BuiltinDef[] = [
  ...arithmeticBuiltins,
  ...comparisonBuiltins,
  ...membershipBuiltins,
  ...setBuiltins,
  ...aggregateBuiltins,
  ...arrayBuiltins,
  ...objectBuiltins,
  ...jsonPathBuiltins,
  ...jsonPatchBuiltins,
  ...typeBuiltins,
  ...castBuiltins,
  ...bitsBuiltins,
  ...graphBuiltins,
  ...walkBuiltins,
  ...numberBuiltins,
  ...deprecatedBuiltins,
]
