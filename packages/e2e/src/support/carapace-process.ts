import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The `carapace` command as a user runs it, one process per step. */
export const CARAPACE = fileURLToPath(new URL('../../../cli/bin/carapace.js', import.meta.url))

export interface Finished {
  readonly code: number | null
  readonly out: string
  readonly err: string
}

export function runCarapace(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CARAPACE, ...args], { env: { ...process.env, ...env } })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => {
      resolve({ code, out, err })
    })
  })
}

export interface Daemon {
  readonly child: ChildProcess
  /** The first stdout match of `pattern`'s group 1. */
  readonly found: string
  readonly output: () => { out: string; err: string }
}

/** Starts a long-running command and waits until its stdout shows `pattern`. */
export function startCarapace(args: readonly string[], pattern: RegExp): Promise<Daemon> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CARAPACE, ...args])
    let out = ''
    let err = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`carapace ${args.join(' ')} did not start:\n${out}\n${err}`))
    }, 20_000)
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8')
      const match = pattern.exec(out)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve({ child, found: match[1], output: () => ({ out, err }) })
      }
    })
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')))
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`carapace ${args.join(' ')} exited with ${String(code)}:\n${out}\n${err}`))
    })
  })
}

export function stopCarapace(daemon: Daemon): Promise<number | null> {
  return new Promise((resolve) => {
    daemon.child.removeAllListeners('exit')
    if (daemon.child.exitCode !== null) {
      resolve(daemon.child.exitCode)
      return
    }
    daemon.child.once('exit', (code) => {
      resolve(code)
    })
    daemon.child.kill('SIGTERM')
  })
}
