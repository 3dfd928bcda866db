import type { Readable, Writable } from 'node:stream'
import type { KeyProviderClient } from '../ocicrypt/index.ts'
import { KeyProviderError } from './keyprovider-error.ts'
import { MAX_KEY_PROVIDER_MESSAGE_BYTES } from './keyprovider-proto.ts'

// ocicrypt `cmd` mode (spec §4.4): one process per call, the request JSON on stdin, the response JSON
// on stdout; a non-zero exit with text on stderr is how a failure reaches skopeo's user.

export interface KeyProviderCommandOptions {
  provider: KeyProviderClient
  stdin: Readable
  stdout: Writable
  stderr: Writable
}

async function readAll(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stdin) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    size += buffer.length
    if (size > MAX_KEY_PROVIDER_MESSAGE_BYTES) {
      throw new KeyProviderError(
        'BAD_REQUEST',
        `request on stdin is larger than ${MAX_KEY_PROVIDER_MESSAGE_BYTES} bytes`,
      )
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function opOf(json: string): unknown {
  try {
    const value: unknown = JSON.parse(json)
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['op'] : undefined
  } catch (cause) {
    throw new KeyProviderError('BAD_REQUEST', 'the request on stdin is not JSON', { cause })
  }
}

/** Dispatches one §4.3 request by its `op` (cmd mode has a single entry point). */
export function answerKeyProviderRequest(provider: KeyProviderClient, json: string): Promise<string> {
  const op = opOf(json)
  if (op === 'keywrap') return provider.wrapKey(json)
  if (op === 'keyunwrap') return provider.unwrapKey(json)
  return Promise.reject(
    new KeyProviderError(
      'BAD_REQUEST',
      `unknown key provider op ${op === undefined ? 'undefined' : JSON.stringify(op)}`,
    ),
  )
}

function write(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => {
      if (error) reject(error)
      else resolve()
    })
  })
}

/** Runs one cmd-mode exchange; resolves to the process exit code (0 answered, 1 refused). */
export async function runKeyProviderCommand(options: KeyProviderCommandOptions): Promise<number> {
  let response: string
  try {
    response = await answerKeyProviderRequest(options.provider, await readAll(options.stdin))
  } catch (error) {
    const text =
      error instanceof KeyProviderError
        ? `${error.code}: ${error.message}`
        : `internal key provider error: ${error instanceof Error ? error.message : String(error)}`
    await write(options.stderr, `${text}\n`)
    return 1
  }
  await write(options.stdout, response)
  return 0
}
