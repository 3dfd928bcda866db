import { startKeyProviderServer } from '@carapace/image'
import type { Command, CommandIo } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { EXIT_OK } from '../output.ts'
import { processStopSignal, runImageAction, type StopSignal } from './image-cli-support.ts'
import { cocoProviderFrom, KBS_PROVIDER_FLAGS, KBS_PROVIDER_USAGE } from './keyprovider-support.ts'

const DEFAULT_LISTEN = '127.0.0.1:50000'

const usage = `Usage: carapace keyprovider serve [--listen HOST:PORT] [--kbs URL --admin-key FILE [--kbs-cert FILE]]
         [--allow-keypath] [--allow-sample] [--unwrap-key KID=FILE]...

Runs ocicrypt's key-provider gRPC service (keyprovider.KeyProviderService/WrapKey, UnWrapKey) as
CoCo's coco_keyprovider does, under the provider name attestation-agent: each WrapKey seals the
layer key under a fresh KEK (or, with --allow-keypath, the keypath= one) in a CoCo
AnnotationPacket and stores the KEK in the KBS as the keyid= resource (default
kbs:///default/image-kek/<uuid>) BEFORE answering; a failed store is an error, never ignored.
UnWrapKey only for --unwrap-key KEKs (in a guest the CDH unwraps after attestation).
Point ocicrypt at it with OCICRYPT_KEYPROVIDER_CONFIG:
  {"key-providers":{"attestation-agent":{"grpc":"127.0.0.1:50000"}}}
and encrypt with --encryption-key provider:attestation-agent:keyid=kbs:///default/image-kek/app
(skopeo ≥ 1.10) or carapace image encrypt --recipient provider:attestation-agent:…
Runs until SIGINT/SIGTERM.

Options:
      --listen HOST:PORT   where to listen (default ${DEFAULT_LISTEN}; plaintext gRPC, keep it local)
${KBS_PROVIDER_USAGE}`

export function makeKeyproviderServe(stopSignal: StopSignal): Command {
  const command: Command = {
    path: ['keyprovider', 'serve'],
    summary: 'Run the ocicrypt key-provider gRPC service that stores image KEKs in the KBS',
    usage,
    run: (args, io) => runImageAction(command, io, () => serve(args, io, stopSignal)),
  }
  return command
}

export const keyproviderServe: Command = makeKeyproviderServe(processStopSignal)

async function serve(args: readonly string[], io: CommandIo, stopSignal: StopSignal): Promise<number> {
  const { values, positionals } = parseFlags(args, { ...KBS_PROVIDER_FLAGS, listen: { type: 'string' } })
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`)
  const provider = await cocoProviderFrom(values)
  const server = await startKeyProviderServer({
    provider,
    listen: values.listen ?? DEFAULT_LISTEN,
    onRequest: (event) => {
      if (!event.ok) io.stderr(`keyprovider: ${event.method} refused: ${event.error?.message ?? 'error'}\n`)
    },
  })
  io.stdout(
    `key provider listening on ${server.address}${values.kbs === undefined ? ' (no KBS: keypath= KEKs only, with --allow-keypath)' : ` (KBS ${values.kbs})`}\n`,
  )
  const signal = await stopSignal()
  io.stdout(`${signal}: stopping\n`)
  await server.close()
  return EXIT_OK
}
