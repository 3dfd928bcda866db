import { runKeyProviderCommand } from '@carapace/image'
import type { Command } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { runImageAction } from './image-cli-support.ts'
import { cocoProviderFrom, KBS_PROVIDER_FLAGS, KBS_PROVIDER_USAGE } from './keyprovider-support.ts'

const usage = `Usage: carapace keyprovider cmd [--kbs URL --admin-key FILE [--kbs-cert FILE]] [--allow-keypath]
         [--allow-sample] [--unwrap-key KID=FILE]...

ocicrypt's cmd mode of the attestation-agent key provider: reads one key-provider request JSON on
stdin, writes the response JSON on stdout (exit 0), or the reason on stderr (exit 1). Same
behaviour as keyprovider serve. Configure ocicrypt with
  {"key-providers":{"attestation-agent":{"cmd":{"path":"/usr/bin/carapace",
     "args":["keyprovider","cmd","--kbs","https://kbs:8080","--admin-key","/etc/kbs/admin-key.pem"]}}}}

Options:
${KBS_PROVIDER_USAGE}`

export const keyproviderCmd: Command = {
  path: ['keyprovider', 'cmd'],
  summary: 'Answer one ocicrypt key-provider request on stdin/stdout (cmd mode)',
  usage,
  run: (args, io) =>
    runImageAction(keyproviderCmd, io, async () => {
      const { values, positionals } = parseFlags(args, KBS_PROVIDER_FLAGS)
      if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
      return runKeyProviderCommand({
        provider: await cocoProviderFrom(values),
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
      })
    }),
}
