import type { Command } from '../command.ts'
import { EXIT_FAILURE } from '../output.ts'

// Placeholder while issue 3 is being wired; replaced by the real command.
export const cdhServe: Command = {
  path: ['cdh', 'serve'],
  summary: 'Run the Confidential Data Hub API on 127.0.0.1:8006 (not built yet)',
  usage: 'Usage: carapace cdh serve',
  run: (_args, io) => {
    io.stderr('carapace cdh serve: not built yet\n')
    return Promise.resolve(EXIT_FAILURE)
  },
}
