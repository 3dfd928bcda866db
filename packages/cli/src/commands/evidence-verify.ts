import { readFile } from 'node:fs/promises'
import type { Tee } from '@carapace/protocol'
import {
  createCachedCollateral,
  createDirectoryCollateral,
  firstOf,
  NO_COLLATERAL,
  VERIFIER_FACTORIES,
  verifierFor,
  type CollateralSource,
} from '@carapace/verifier'
import type { Command } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK, runAction } from '../output.ts'
import { hexFlag, reportTypedFailure, timeFlag } from './collateral-cli-support.ts'

const TEES = Object.keys(VERIFIER_FACTORIES) as Tee[]

const usage = `Usage: carapace evidence verify --tee TEE --evidence FILE [options]

Verifies TEE evidence offline with Carapace's verifier for TEE and prints the claims as JSON
(exit 0), or the failed check with its error code (exit 1).

Options:
      --tee TEE                 ${TEES.join(', ')}
      --evidence FILE           the evidence as the attester sends it (JSON for snp, sgx, tdx, …)
      --report-data HEX         the expected runtime-data digest (default: none — all zero, as
                                evidence without runtime data carries)
      --init-data-digest HEX    the expected init-data digest (default: not checked)
      --collateral DIR          a flat folder of one platform's collateral (docs/collateral.md)
      --cache DIR               a collateral cache or imported bundle, read offline
      --at RFC3339              judge certificates, CRLs and TCB at this time (default: now)

Example:
  carapace evidence verify --tee sgx --evidence quote.json --report-data 48656c6c6f \\
    --collateral ./collateral --at 2025-07-19T10:01:17Z`

function teeFlag(text: string | undefined): Tee {
  const tee = TEES.find((t) => t === text)
  if (tee === undefined) throw new UsageError(`--tee: expected one of ${TEES.join(', ')}`)
  return tee
}

export const evidenceVerify: Command = {
  path: ['evidence', 'verify'],
  summary: 'Verify TEE evidence offline and print its claims',
  usage,
  run: (args, io) =>
    runAction(evidenceVerify, io, async () => {
      const { values, positionals } = parseFlags(args, {
        tee: { type: 'string' },
        evidence: { type: 'string' },
        'report-data': { type: 'string' },
        'init-data-digest': { type: 'string' },
        collateral: { type: 'string' },
        cache: { type: 'string' },
        at: { type: 'string' },
      })
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0] ?? ''}`)
      const tee = teeFlag(values.tee)
      if (values.evidence === undefined) throw new UsageError('--evidence FILE is required')
      const reportData = hexFlag('report-data', values['report-data']) ?? new Uint8Array()
      const initDataDigest = hexFlag('init-data-digest', values['init-data-digest'])
      const at = timeFlag('at', values.at)
      let evidence: Uint8Array
      try {
        evidence = new Uint8Array(await readFile(values.evidence))
      } catch (e) {
        throw new UsageError(
          `--evidence: cannot read ${values.evidence}: ${e instanceof Error ? e.message : String(e)}`,
        )
      }
      const sources: CollateralSource[] = []
      if (values.collateral !== undefined) sources.push(createDirectoryCollateral(values.collateral))
      if (values.cache !== undefined) {
        sources.push(
          createCachedCollateral(NO_COLLATERAL, {
            dir: values.cache,
            ...(at === undefined ? {} : { now: () => at }),
            onStale: (key) => {
              io.stderr(`warning: ${key} in the cache is past its nextUpdate\n`)
            },
          }),
        )
      }
      try {
        const verified = await verifierFor(tee).verify(
          evidence,
          { reportData, ...(initDataDigest === undefined ? {} : { initDataDigest }) },
          { collateral: sources.length === 0 ? NO_COLLATERAL : firstOf(sources), ...(at === undefined ? {} : { at }) },
        )
        // One claims object, or (several GPUs, …) an array of them.
        const claims = verified.map((v) => v.claims)
        io.stdout(`${JSON.stringify(claims.length === 1 ? claims[0] : claims, null, 2)}\n`)
        return EXIT_OK
      } catch (error) {
        const code = reportTypedFailure('carapace evidence verify', io, error)
        if (code === undefined) throw error
        return code
      }
    }),
}
