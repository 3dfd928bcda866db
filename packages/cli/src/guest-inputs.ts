import { CocoError, parseInitData, teeKeyPairFromPem, type TeeKeyPair } from '@carapace/protocol'
import { CliFailure } from './cli-failure.ts'
import { UsageError } from './flags.ts'
import { readInputText } from './input-files.ts'

/**
 * The init-data TOML for attest/get-resource: `--init-data FILE`, or the plaintext as the one
 * positional argument (Trustee kbs-client's INIT_DATA). Checked locally so a typo is reported
 * here rather than as an attestation failure.
 */
export function initDataInput(file: string | undefined, positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`)
  const inline = positionals[0]
  if (file !== undefined && inline !== undefined)
    throw new UsageError('give the init-data either as --init-data FILE or inline, not both')
  const text = file === undefined ? inline : readInputText('--init-data', file)
  if (text === undefined) return undefined
  try {
    parseInitData(text)
  } catch (e) {
    if (e instanceof CocoError)
      throw new CliFailure(`${file === undefined ? 'INIT_DATA' : `--init-data ${file}`}: ${e.message}`, { cause: e })
    throw e
  }
  return text
}

/** `--tee-key-file`: the TEE private key (PKCS#1 RSA or PKCS#8 EC P-256/P-521 PEM). */
export function teeKeyInput(file: string | undefined): TeeKeyPair | undefined {
  if (file === undefined) return undefined
  try {
    return teeKeyPairFromPem(readInputText('--tee-key-file', file))
  } catch (e) {
    if (e instanceof CocoError) throw new CliFailure(`--tee-key-file ${file}: ${e.message}`, { cause: e })
    throw e
  }
}

/**
 * The note printed before attesting with the sample attester. Whether the KBS accepts sample
 * evidence shows only in its answer (sample-tee-hint.ts), so nothing is guessed here.
 */
export const SAMPLE_ATTESTER_NOTE = 'using the sample attester (no TEE hardware)'
