import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A real `docker-registry` (Debian's distribution 2.8) on 127.0.0.1, plain HTTP, no auth. */
export interface DockerRegistry {
  /** `127.0.0.1:<port>`: the domain of docker references into it. */
  readonly host: string
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => {
        resolve(port)
      })
    })
  })
}

/** Starts `docker-registry serve` with its storage in a temporary directory; waits for GET /v2/ = 200. */
export async function startDockerRegistry(): Promise<DockerRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'carapace-e2e-registry-'))
  const port = await freePort()
  await writeFile(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: {level: error, accesslog: {disabled: true}}',
      `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
      `http: {addr: "127.0.0.1:${port}"}`,
      '',
    ].join('\n'),
  )
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  let failed: string | undefined
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000)
  })
  child.on('error', (e: NodeJS.ErrnoException) => {
    failed = e.code === 'ENOENT' ? 'docker-registry is not installed (run scripts/install-system-deps.sh)' : e.message
  })
  child.on('exit', (code) => {
    failed ??= `docker-registry exited (${String(code)}): ${stderr}`
  })
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await gone
    }
    await rm(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 15_000
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/v2/`).then(
      (r) => r.status,
      () => 0,
    )
    if (status === 200) break
    if (failed !== undefined || Date.now() > deadline) {
      await stop()
      throw new Error(failed ?? `docker-registry did not become ready on port ${port}: ${stderr}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return { host: `127.0.0.1:${port}`, stop }
}
