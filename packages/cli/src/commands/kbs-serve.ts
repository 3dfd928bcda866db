import type { Command } from '../command.ts'
import { EXIT_FAILURE } from '../output.ts'

// Placeholder while issue 3 is being wired; replaced by the real command.
export const kbsServe: Command = {
  path: ['kbs', 'serve'],
  summary: 'Run the trust plane: KBS with built-in AS and RVPS (not built yet)',
  usage: 'Usage: carapace kbs serve',
  run: (_args, io) => {
    io.stderr('carapace kbs serve: not built yet\n')
    return Promise.resolve(EXIT_FAILURE)
  },
}
