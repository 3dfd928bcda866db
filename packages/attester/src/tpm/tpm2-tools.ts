import { execFile } from 'node:child_process'
import { AttesterError } from '../attester-error.ts'

/** Runs one tpm2-tools command against a TCTI; resolves its stdout, rejects with an `AttesterError`. */
export type Tpm2Runner = (tool: string, args: readonly string[]) => Promise<string>

export interface Tpm2RunnerOptions {
  /** The TCTI the tools talk to, e.g. `device:/dev/tpmrm0` or `swtpm:host=127.0.0.1,port=2321`. */
  readonly tcti: string
  /** Per-command limit (default 30 s). */
  readonly timeoutMs?: number
  /** Working directory for files the tools write. */
  readonly cwd?: string
}

const INSTALL_HINT = 'install tpm2-tools (scripts/install-system-deps.sh does it on Debian)'

/** Tool names are fixed strings of this module's callers; arguments never pass through a shell. */
export function createTpm2Runner(options: Tpm2RunnerOptions): Tpm2Runner {
  const timeout = options.timeoutMs ?? 30_000
  return (tool, args) =>
    new Promise((resolve, reject) => {
      execFile(
        tool,
        [...args],
        {
          timeout,
          cwd: options.cwd,
          env: { ...process.env, TPM2TOOLS_TCTI: options.tcti },
          maxBuffer: 4 * 1024 * 1024,
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          if (error === null) {
            resolve(stdout)
            return
          }
          const code = (error as NodeJS.ErrnoException).code
          if (code === 'ENOENT') {
            reject(new AttesterError('TEE_UNAVAILABLE', `${tool} not found: ${INSTALL_HINT}`, { cause: error }))
            return
          }
          if (error.killed) {
            reject(
              new AttesterError('EVIDENCE_FAILED', `${tool} did not finish within ${String(timeout)} ms`, {
                cause: error,
              }),
            )
            return
          }
          const detail = lastLines(stderr)
          const unreachable = /tcti|connect|Connection refused|ECONNREFUSED/i.test(stderr)
          reject(
            new AttesterError(
              unreachable ? 'TEE_UNAVAILABLE' : 'EVIDENCE_FAILED',
              `${tool} failed (TCTI ${options.tcti})${detail === '' ? '' : `: ${detail}`}`,
              { cause: error },
            ),
          )
        },
      )
    })
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ')
}
