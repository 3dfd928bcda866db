import { createSampleAttester } from '@carapace/attester'
import { createKbsClient } from '@carapace/kbs-client'
import type { FailureContextHolder } from '../client-action.ts'
import type { CommandIo } from '../command.ts'
import { parseFlags } from '../flags.ts'
import { initDataInput, SAMPLE_ATTESTER_NOTE, teeKeyInput } from '../guest-inputs.ts'
import { writePrivateFile } from '../input-files.ts'
import { KBS_TARGET_FLAGS, kbsTarget } from '../kbs-target.ts'
import { EXIT_OK } from '../output.ts'
import { sampleTeeGateHint } from '../sample-tee-hint.ts'

/** `carapace client attest`: one RCAR handshake; prints the attestation token. */
export async function clientAttest(
  args: readonly string[],
  io: CommandIo,
  holder: FailureContextHolder,
): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    ...KBS_TARGET_FLAGS,
    'init-data': { type: 'string' },
    'tee-key-file': { type: 'string' },
    out: { type: 'string' },
  })
  const initData = initDataInput(values['init-data'], positionals)
  const teeKey = teeKeyInput(values['tee-key-file'])
  const target = kbsTarget(values)
  holder.context = target
  io.stderr(`carapace client attest: ${SAMPLE_ATTESTER_NOTE}\n`)
  const client = createKbsClient({
    url: target.url,
    fetch: target.fetch,
    attester: createSampleAttester(),
    ...(initData === undefined ? {} : { initData }),
    ...(teeKey === undefined ? {} : { teeKey }),
  })
  const token = await client.attest()
  const hint = sampleTeeGateHint(token)
  if (hint !== undefined) io.stderr(`carapace client attest: note: ${hint}\n`)
  if (values.out === undefined) io.stdout(`${token}\n`)
  else writePrivateFile('--out', values.out, `${token}\n`)
  return EXIT_OK
}
