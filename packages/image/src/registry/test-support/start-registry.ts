import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './free-port.ts'

/** A running `docker-registry` (Debian's distribution 2.8) on 127.0.0.1, plain HTTP, no auth. */
export interface LocalRegistry {
  /** `127.0.0.1:<port>`: the domain of docker references into it. */
  readonly host: string
  readonly port: number
  stop(): Promise<void>
}

const READY_TIMEOUT_MS = 15_000

function getStatus(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/v2/', method: 'GET', timeout: 1000 }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', () => {
      resolve(0)
    })
    req.on('timeout', () => req.destroy())
    req.end()
  })
}

/**
 * Writes a registry config (storage in a temporary directory, `http.addr 127.0.0.1:<free port>`,
 * deletes enabled, quiet logs), starts `docker-registry serve` and waits until GET /v2/ answers 200.
 * `stop()` kills it and removes the storage.
 */
export async function startRegistry(): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'carapace-registry-'))
  const port = await freePort()
  const config = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '',
  ].join('\n')
  await writeFile(join(dir, 'config.yml'), config)
  const child: ChildProcess = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000)
  })
  let exited: string | undefined
  child.on('error', (e: NodeJS.ErrnoException) => {
    exited = e.code === 'ENOENT' ? 'docker-registry is not installed (run scripts/install-system-deps.sh)' : e.message
  })
  child.on('exit', (code, signal) => {
    exited ??= `docker-registry exited (${code ?? signal}): ${stderr}`
  })
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await gone
    }
    await rm(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + READY_TIMEOUT_MS
  while ((await getStatus(port)) !== 200) {
    if (exited !== undefined || Date.now() > deadline) {
      await stop()
      throw new Error(exited ?? `docker-registry did not become ready on port ${port}: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { host: `127.0.0.1:${port}`, port, stop }
}
