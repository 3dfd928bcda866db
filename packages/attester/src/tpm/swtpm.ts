import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Test support: a software TPM 2.0 (`swtpm socket --tpm2`) on loopback TCP (server port N,
 * control channel N+1, where the swtpm TCTI looks for it) with its own state directory, started up (TPM2_Startup(CLEAR)) and ready for tpm2-tools through `tcti`.
 */
export interface RunningSwtpm {
  /** `swtpm:host=127.0.0.1,port=N`, for `TPM2TOOLS_TCTI` or `createTpmAttester({ tcti })`. */
  readonly tcti: string
  readonly port: number
  readonly stateDir: string
  /** Stops swtpm and removes its state. */
  stop(): Promise<void>
}

export const SWTPM_INSTALL_HINT =
  'swtpm and tpm2-tools are required: run scripts/install-system-deps.sh (Debian: apt-get install swtpm swtpm-tools tpm2-tools libtss2-tcti-swtpm0)'

const HOST = '127.0.0.1'

export async function startSwtpm(options: { readonly readyTimeoutMs?: number } = {}): Promise<RunningSwtpm> {
  const stateDir = await mkdtemp(join(tmpdir(), 'carapace-swtpm-'))
  let lastError: unknown
  // The free-port probe can race with another process; a few attempts absorb that.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePortPair()
    const ctrlPort = port + 1
    const child = spawn(
      'swtpm',
      [
        ...['socket', '--tpm2', '--tpmstate', `dir=${stateDir}`],
        ...['--server', `type=tcp,port=${String(port)},bindaddr=${HOST}`],
        ...['--ctrl', `type=tcp,port=${String(ctrlPort)},bindaddr=${HOST}`],
        ...['--flags', 'not-need-init,startup-clear'],
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    try {
      await waitUntilListening(child, port, options.readyTimeoutMs ?? 10_000)
      return {
        tcti: `swtpm:host=${HOST},port=${String(port)}`,
        port,
        stateDir,
        stop: async () => {
          await stopChild(child)
          await rm(stateDir, { recursive: true, force: true })
        },
      }
    } catch (error) {
      await stopChild(child)
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        await rm(stateDir, { recursive: true, force: true })
        throw new Error(`swtpm not found. ${SWTPM_INSTALL_HINT}`, { cause: error })
      }
      lastError = new Error(`swtpm did not start: ${(error as Error).message} ${stderr.trim()}`, { cause: error })
    }
  }
  await rm(stateDir, { recursive: true, force: true })
  throw lastError
}

/** The swtpm TCTI finds the control channel at the server port + 1, so both must be free. */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const first = await listenOn(0)
    const port = first.port
    const second = port < 65535 ? await listenOn(port + 1).catch(() => undefined) : undefined
    await first.close()
    if (second !== undefined) {
      await second.close()
      return port
    }
  }
  throw new Error('no free pair of consecutive loopback ports for swtpm')
}

function listenOn(port: number): Promise<{ readonly port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, HOST, () => {
      const address = server.address()
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => {
              done()
            })
          }),
      })
    })
  })
}

function waitUntilListening(child: ChildProcess, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs
    let settled = false
    const finish = (error?: Error): void => {
      if (settled) return
      settled = true
      child.off('exit', onExit)
      child.off('error', onError)
      if (error === undefined) resolve()
      else reject(error)
    }
    const onExit = (code: number | null): void => {
      finish(new Error(`swtpm exited with ${String(code)}`))
    }
    const onError = (error: Error): void => {
      finish(error)
    }
    child.once('exit', onExit)
    child.once('error', onError)
    const probe = (): void => {
      if (settled) return
      const socket = createConnection({ host: HOST, port })
      socket.once('connect', () => {
        socket.destroy()
        finish()
      })
      socket.once('error', () => {
        socket.destroy()
        if (Date.now() > deadline) finish(new Error(`swtpm did not listen on port ${String(port)} in time`))
        else setTimeout(probe, 50)
      })
    }
    probe()
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
