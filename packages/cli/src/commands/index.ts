import type { Command } from '../command.ts'
import { adminToken } from './admin-token.ts'
import { cdhServe } from './cdh-serve.ts'
import { client } from './client.ts'
import { collateralExport } from './collateral-export.ts'
import { collateralFetch } from './collateral-fetch.ts'
import { collateralImport } from './collateral-import.ts'
import { evidenceVerify } from './evidence-verify.ts'
import { IMAGE_COMMANDS } from './image-commands.ts'
import { kbsServe } from './kbs-serve.ts'
import { policyConformance } from './policy-conformance.ts'
import { policyEval } from './policy-eval.ts'
import { policyTest } from './policy-test.ts'

/** Every command, in the order `carapace --help` lists them. */
export const COMMANDS: readonly Command[] = [
  kbsServe,
  adminToken,
  client,
  cdhServe,
  policyEval,
  policyTest,
  policyConformance,
  evidenceVerify,
  collateralFetch,
  collateralExport,
  collateralImport,
  ...IMAGE_COMMANDS,
]
