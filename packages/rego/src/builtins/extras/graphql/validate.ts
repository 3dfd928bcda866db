import type { WorkMeter } from '../../work.ts'
import type { GqlError, QueryDocument, Schema } from './ast.ts'
import { overlappingFieldsCanBeMerged } from './rules-overlap.ts'
import {
  fieldsOnCorrectType,
  fragmentsOnCompositeTypes,
  knownArgumentNames,
  knownDirectives,
  knownFragmentNames,
  knownRootType,
  knownTypeNames,
  loneAnonymousOperation,
  noFragmentCycles,
  noUnusedFragments,
  possibleFragmentSpreads,
  providedRequiredArguments,
  scalarLeafs,
  singleFieldSubscriptions,
} from './rules-selections.ts'
import {
  noUndefinedVariables,
  noUnusedVariables,
  uniqueArgumentNames,
  uniqueDirectivesPerLocation,
  uniqueFragmentNames,
  uniqueInputFieldNames,
  uniqueOperationNames,
  uniqueVariableNames,
  valuesOfCorrectType,
  variablesAreInputTypes,
  variablesInAllowedPosition,
} from './rules-values.ts'
import { runRules, type Rule } from './walker.ts'

/** gqlparser's default rules, in its order (which decides the order of reported errors). */
const RULES: readonly Rule[] = [
  fieldsOnCorrectType,
  fragmentsOnCompositeTypes,
  knownArgumentNames,
  knownDirectives,
  knownFragmentNames,
  knownRootType,
  knownTypeNames,
  loneAnonymousOperation,
  noFragmentCycles,
  noUndefinedVariables,
  noUnusedFragments,
  noUnusedVariables,
  overlappingFieldsCanBeMerged,
  possibleFragmentSpreads,
  providedRequiredArguments,
  scalarLeafs,
  singleFieldSubscriptions,
  uniqueArgumentNames,
  uniqueDirectivesPerLocation,
  uniqueFragmentNames,
  uniqueInputFieldNames,
  uniqueOperationNames,
  uniqueVariableNames,
  valuesOfCorrectType,
  variablesAreInputTypes,
  variablesInAllowedPosition,
]

/** Validate a query against a schema; mutates the query (resolved definitions, `Used`). */
export function validateQuery(schema: Schema, doc: QueryDocument, meter: WorkMeter): GqlError[] {
  return runRules(schema, doc, RULES, meter)
}
