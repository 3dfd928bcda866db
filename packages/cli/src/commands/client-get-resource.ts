import { createSampleAttester } from '@carapace/attester'
import { createKbsClient, KbsClientError, type PassportTokenProvider } from '@carapace/kbs-client'
import { isResourcePath } from '@carapace/protocol'
import { CliFailure } from '../cli-failure.ts'
import type { FailureContextHolder } from '../client-action.ts'
import type { CommandIo } from '../command.ts'
import { parseFlags, UsageError } from '../flags.ts'
import { initDataInput, SAMPLE_ATTESTER_NOTE, teeKeyInput } from '../guest-inputs.ts'
import { readInputText, writePrivateFile } from '../input-files.ts'
import { KBS_TARGET_FLAGS, kbsTarget } from '../kbs-target.ts'
import { EXIT_OK } from '../output.ts'
import { sampleTeeGateHint } from '../sample-tee-hint.ts'

/**
 * `carapace client get-resource --path repo/type/tag`: attests (or uses --attestation-token with
 * its --tee-key-file) and prints the resource in standard base64, as Trustee's kbs-client does,
 * or writes the raw bytes to --out (mode 0600).
 */
export async function clientGetResource(
  args: readonly string[],
  io: CommandIo,
  holder: FailureContextHolder,
): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    ...KBS_TARGET_FLAGS,
    path: { type: 'string' },
    'init-data': { type: 'string' },
    'tee-key-file': { type: 'string' },
    'attestation-token': { type: 'string' },
    out: { type: 'string' },
  })
  const path = values.path
  if (path === undefined) throw new UsageError('--path repo/type/tag is required')
  if (!isResourcePath(path)) throw new UsageError(`--path ${JSON.stringify(path)} is not repo/type/tag`)
  const initData = initDataInput(values['init-data'], positionals)
  const teeKey = teeKeyInput(values['tee-key-file'])
  const tokenFile = values['attestation-token']
  let tokenProvider: PassportTokenProvider | undefined
  if (tokenFile !== undefined) {
    if (teeKey === undefined) {
      throw new UsageError('--attestation-token needs --tee-key-file: the key whose public part the token binds')
    }
    if (initData !== undefined)
      throw new UsageError('--init-data is sent when attesting; it has no use with --attestation-token')
    const token = readInputText('--attestation-token', tokenFile).trim()
    tokenProvider = () => Promise.resolve({ token, teeKey })
  }
  const target = kbsTarget(values)
  holder.context = target
  if (tokenProvider === undefined) io.stderr(`carapace client get-resource: ${SAMPLE_ATTESTER_NOTE}\n`)
  const client = createKbsClient({
    url: target.url,
    fetch: target.fetch,
    ...(tokenProvider === undefined ? { attester: createSampleAttester() } : { tokenProvider }),
    ...(initData === undefined ? {} : { initData }),
    ...(teeKey === undefined ? {} : { teeKey }),
  })
  let bytes: Uint8Array
  try {
    bytes = await client.getResource(path)
  } catch (e) {
    if (tokenProvider !== undefined && e instanceof KbsClientError && e.code === 'PROTOCOL') {
      throw new CliFailure(`${e.message}\n  is --tee-key-file the key the --attestation-token binds?`, { cause: e })
    }
    if (tokenProvider === undefined && e instanceof KbsClientError && e.code === 'UNAUTHORIZED') {
      const hint = sampleTeeGateHint(await client.getToken().catch(() => ''))
      if (hint !== undefined) io.stderr(`carapace client get-resource: note: ${hint}\n`)
    }
    throw e
  }
  if (values.out === undefined) io.stdout(`${Buffer.from(bytes).toString('base64')}\n`)
  else writePrivateFile('--out', values.out, bytes)
  return EXIT_OK
}
