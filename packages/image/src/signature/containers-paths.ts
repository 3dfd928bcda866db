import { access } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** The environment the containers/image default locations depend on (injected in tests). */
export interface ContainersEnvironment {
  readonly home?: string
  readonly uid?: number
  readonly exists?: (path: string) => Promise<boolean>
}

async function fileExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  )
}

function resolveEnv(env: ContainersEnvironment): Required<ContainersEnvironment> {
  return {
    home: env.home ?? homedir(),
    uid: env.uid ?? process.getuid?.() ?? 0,
    exists: env.exists ?? fileExists,
  }
}

/** `$HOME/.config/containers/policy.json` if it exists, else `/etc/containers/policy.json`. */
export async function defaultPolicyPath(env: ContainersEnvironment = {}): Promise<string> {
  const { home, exists } = resolveEnv(env)
  const user = join(home, '.config/containers/policy.json')
  return (await exists(user)) ? user : '/etc/containers/policy.json'
}

/** `$HOME/.config/containers/registries.d` if it exists, else `/etc/containers/registries.d`. */
export async function defaultRegistriesDir(env: ContainersEnvironment = {}): Promise<string> {
  const { home, exists } = resolveEnv(env)
  const user = join(home, '.config/containers/registries.d')
  return (await exists(user)) ? user : '/etc/containers/registries.d'
}

/**
 * The lookaside containers/image reads when registries.d names none: `/var/lib/containers/sigstore`
 * for root, `$HOME/.local/share/containers/sigstore` otherwise (as a file: URL).
 */
export function defaultLookaside(env: ContainersEnvironment = {}): string {
  const { home, uid } = resolveEnv(env)
  const dir = uid === 0 ? '/var/lib/containers/sigstore' : join(home, '.local/share/containers/sigstore')
  return pathToFileURL(dir).href
}
