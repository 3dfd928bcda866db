import type { Command } from '../command.ts'
import { EXIT_FAILURE } from '../output.ts'

// Placeholder while issue 3 is being wired; replaced by the real command.
export const adminToken: Command = {
  path: ['admin', 'token'],
  summary: 'Mint an admin JWT from the admin private key (not built yet)',
  usage: 'Usage: carapace admin token',
  run: (_args, io) => {
    io.stderr('carapace admin token: not built yet\n')
    return Promise.resolve(EXIT_FAILURE)
  },
}
