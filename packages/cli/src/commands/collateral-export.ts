import { exportBundle } from '@carapace/verifier'
import type { Command } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK, runAction } from '../output.ts'
import { reportTypedFailure } from './collateral-cli-support.ts'

const usage = `Usage: carapace collateral export --cache DIR --out DIR

Copies every entry of a collateral cache into an offline bundle (a folder with index.json,
docs/collateral.md). Entries are checked as they are copied.`

export const collateralExport: Command = {
  path: ['collateral', 'export'],
  summary: 'Export a collateral cache as an offline bundle',
  usage,
  run: (args, io) =>
    runAction(collateralExport, io, async () => {
      const { values, positionals } = parseFlags(args, { cache: { type: 'string' }, out: { type: 'string' } })
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0] ?? ''}`)
      if (values.cache === undefined || values.out === undefined) throw new UsageError('--cache and --out are required')
      try {
        const entries = await exportBundle(values.cache, values.out)
        io.stdout(`${JSON.stringify({ bundle: values.out, entries }, null, 2)}\n`)
        return EXIT_OK
      } catch (error) {
        const code = reportTypedFailure('carapace collateral export', io, error)
        if (code === undefined) throw error
        return code
      }
    }),
}
