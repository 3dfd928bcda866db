import { spawn } from 'node:child_process'
import type { KeyProviderClient } from '../ocicrypt/index.ts'
import { KeyProviderError } from './keyprovider-error.ts'
import { MAX_KEY_PROVIDER_MESSAGE_BYTES } from './keyprovider-proto.ts'

export interface CommandKeyProviderOptions {
  path: string
  args?: readonly string[]
  /** Kill the provider after this long; default 60 s. */
  timeoutMs?: number
  env?: NodeJS.ProcessEnv
}

const MAX_STDERR_BYTES = 64 * 1024

/**
 * ocicrypt's cmd transport: one process per call, the request on stdin (no trailing newline), the
 * response read from stdout until exit. Failures read as ocicrypt words them.
 */
export function commandKeyProviderClient(options: CommandKeyProviderOptions): KeyProviderClient {
  const run = (request: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = spawn(options.path, [...(options.args ?? [])], {
        stdio: ['pipe', 'pipe', 'pipe'],
        ...(options.env === undefined ? {} : { env: options.env }),
      })
      // Node's own `timeout` option leaves its timer running when the spawn itself fails.
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        child.kill()
      }, options.timeoutMs ?? 60_000)
      const out: Buffer[] = []
      const err: Buffer[] = []
      let outBytes = 0
      let errBytes = 0
      let overflow = false
      child.stdout.on('data', (chunk: Buffer) => {
        outBytes += chunk.length
        if (outBytes > MAX_KEY_PROVIDER_MESSAGE_BYTES) {
          overflow = true
          child.kill()
        } else out.push(chunk)
      })
      child.stderr.on('data', (chunk: Buffer) => {
        if (errBytes < MAX_STDERR_BYTES) err.push(chunk.subarray(0, MAX_STDERR_BYTES - errBytes))
        errBytes += chunk.length
      })
      // A provider that exits without reading stdin makes the write fail with EPIPE; the exit status decides.
      child.stdin.on('error', () => undefined)
      child.on('error', (cause) => {
        clearTimeout(timer)
        reject(
          new KeyProviderError('PROVIDER_FAILED', `cannot run key provider command ${options.path}: ${cause.message}`, {
            cause,
          }),
        )
      })
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        const stderr = Buffer.concat(err).toString('utf8')
        if (timedOut) {
          reject(new KeyProviderError('PROVIDER_FAILED', `key provider command ${options.path} did not answer in time`))
        } else if (overflow) {
          reject(
            new KeyProviderError(
              'PROVIDER_FAILED',
              `key provider command ${options.path} wrote more than ${MAX_KEY_PROVIDER_MESSAGE_BYTES} bytes`,
            ),
          )
        } else if (code !== 0) {
          const status = code === null ? `signal: ${signal ?? 'unknown'}` : `exit status ${code}`
          reject(
            new KeyProviderError(
              'PROVIDER_FAILED',
              `error while retrieving keyprovider protocol command output: Error while running command: ${options.path}. stderr: ${stderr}: ${status}`,
            ),
          )
        } else resolve(Buffer.concat(out).toString('utf8'))
      })
      child.stdin.end(request)
    })
  return { wrapKey: run, unwrapKey: run }
}
