import { importCollateral } from '@carapace/verifier'
import type { Command } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK, runAction } from '../output.ts'
import { reportTypedFailure } from './collateral-cli-support.ts'

const usage = `Usage: carapace collateral import SRC --cache DIR

Loads an offline bundle (a folder with index.json) or a flat \`--collateral DIR\` folder into a
collateral cache. Every object is checked to be what its name says before anything is written.`

export const collateralImport: Command = {
  path: ['collateral', 'import'],
  summary: 'Import an offline bundle or a flat collateral folder into a cache',
  usage,
  run: (args, io) =>
    runAction(collateralImport, io, async () => {
      const { values, positionals } = parseFlags(args, { cache: { type: 'string' } })
      const [src, ...extra] = positionals
      if (src === undefined || extra.length > 0) throw new UsageError('expected exactly one SRC folder')
      if (values.cache === undefined) throw new UsageError('--cache DIR is required')
      try {
        const entries = await importCollateral(src, values.cache, new Date())
        io.stdout(`${JSON.stringify({ cache: values.cache, entries }, null, 2)}\n`)
        return EXIT_OK
      } catch (error) {
        const code = reportTypedFailure('carapace collateral import', io, error)
        if (code === undefined) throw error
        return code
      }
    }),
}
