import type { Command } from '../command.ts'
import { EXIT_FAILURE } from '../output.ts'

// Placeholder while issue 3 is being wired; replaced by the real command.
export const client: Command = {
  path: ['client'],
  summary: 'KBS client: attest, get-resource, and admin config calls (not built yet)',
  usage: 'Usage: carapace client',
  run: (_args, io) => {
    io.stderr('carapace client: not built yet\n')
    return Promise.resolve(EXIT_FAILURE)
  },
}
