import type { Command } from '../command.ts'
import { policyConformance } from './policy-conformance.ts'
import { policyEval } from './policy-eval.ts'
import { policyTest } from './policy-test.ts'

/** Every command, in the order `carapace --help` lists them. */
export const COMMANDS: readonly Command[] = [policyEval, policyTest, policyConformance]
