import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { dockerPolicyScopes, type DockerReference } from '../reference/docker-reference.ts'
import { SignatureError } from './signature-error.ts'
import { isRecord } from './strict-json.ts'

// Required on first use (yaml's Node entry is CommonJS, so this stays synchronous): most pulls
// have no registries.d files, and the parser costs ~30 ms and 3 MiB at start-up.
type Yaml = typeof import('yaml')
let yaml: Yaml | undefined
const yamlModule = (): Yaml => (yaml ??= createRequire(import.meta.url)('yaml') as Yaml)

/** One `default-docker` or `docker.<scope>` section. */
export interface RegistryNamespace {
  readonly lookaside?: string
  readonly lookasideStaging?: string
  readonly useSigstoreAttachments?: boolean
}

/** registries.d merged over all its files. */
export interface RegistriesConfig {
  readonly defaultDocker?: RegistryNamespace
  readonly docker: ReadonlyMap<string, RegistryNamespace>
}

const NAMESPACE_KEYS = ['lookaside', 'lookaside-staging', 'sigstore', 'sigstore-staging', 'use-sigstore-attachments']

function invalid(message: string): SignatureError {
  return new SignatureError('INVALID_REGISTRIES_CONFIG', `registries.d: ${message}`)
}

function urlField(obj: Record<string, unknown>, key: string, where: string): string | undefined {
  const v = obj[key]
  if (v === undefined || v === null || v === '') return undefined
  if (typeof v !== 'string') throw invalid(`${where}.${key} must be a string`)
  let url: URL
  try {
    url = new URL(v)
  } catch {
    throw invalid(`${where}.${key}: ${JSON.stringify(v)} is not a URL`)
  }
  if (!['file:', 'http:', 'https:'].includes(url.protocol))
    throw invalid(`${where}.${key}: unsupported scheme ${url.protocol}`)
  return v
}

function parseNamespace(v: unknown, where: string): RegistryNamespace {
  if (v === null || v === undefined) return {}
  if (!isRecord(v)) throw invalid(`${where} must be a mapping`)
  for (const key of Object.keys(v))
    if (!NAMESPACE_KEYS.includes(key)) throw invalid(`${where}: unknown key ${JSON.stringify(key)}`)
  // `sigstore` / `sigstore-staging` are the legacy spellings of lookaside / lookaside-staging.
  const lookaside = urlField(v, 'lookaside', where) ?? urlField(v, 'sigstore', where)
  const lookasideStaging = urlField(v, 'lookaside-staging', where) ?? urlField(v, 'sigstore-staging', where)
  const attachments = v['use-sigstore-attachments']
  if (attachments !== undefined && attachments !== null && typeof attachments !== 'boolean') {
    throw invalid(`${where}.use-sigstore-attachments must be true or false`)
  }
  return {
    ...(lookaside === undefined ? {} : { lookaside }),
    ...(lookasideStaging === undefined ? {} : { lookasideStaging }),
    ...(typeof attachments === 'boolean' ? { useSigstoreAttachments: attachments } : {}),
  }
}

/**
 * Parses and merges registries.d YAML files (`{name, text}` in the order given); a second
 * `default-docker` or a scope defined twice across files is an error, as in containers/image.
 */
export function parseRegistriesD(
  files: ReadonlyArray<{ readonly name: string; readonly text: string }>,
): RegistriesConfig {
  let defaultDocker: RegistryNamespace | undefined
  let defaultFrom = ''
  const docker = new Map<string, RegistryNamespace>()
  const from = new Map<string, string>()
  for (const file of files) {
    let doc: unknown
    try {
      doc = yamlModule().parse(file.text, { uniqueKeys: true })
    } catch (e) {
      throw invalid(`${file.name}: ${(e as Error).message}`)
    }
    if (doc === null || doc === undefined) continue
    if (!isRecord(doc)) throw invalid(`${file.name}: top level must be a mapping`)
    for (const key of Object.keys(doc)) {
      if (key !== 'default-docker' && key !== 'docker')
        throw invalid(`${file.name}: unknown key ${JSON.stringify(key)}`)
    }
    if (doc['default-docker'] !== undefined && doc['default-docker'] !== null) {
      if (defaultDocker !== undefined) throw invalid(`default-docker defined both in ${defaultFrom} and ${file.name}`)
      defaultDocker = parseNamespace(doc['default-docker'], `${file.name}: default-docker`)
      defaultFrom = file.name
    }
    const scopes = doc.docker
    if (scopes === undefined || scopes === null) continue
    if (!isRecord(scopes)) throw invalid(`${file.name}: docker must be a mapping`)
    for (const [scope, ns] of Object.entries(scopes)) {
      const previous = from.get(scope)
      if (previous !== undefined)
        throw invalid(`docker namespace ${JSON.stringify(scope)} defined both in ${previous} and ${file.name}`)
      docker.set(scope, parseNamespace(ns, `${file.name}: docker.${scope}`))
      from.set(scope, file.name)
    }
  }
  return { ...(defaultDocker === undefined ? {} : { defaultDocker }), docker }
}

/** Reads every `*.yaml` in a registries.d directory (sorted by name); a missing directory is an empty config. */
export async function loadRegistriesD(dir: string): Promise<RegistriesConfig> {
  let names: string[]
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.yaml')).sort()
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { docker: new Map() }
    throw invalid(`cannot read ${dir}: ${(e as Error).message}`)
  }
  const files = await Promise.all(
    names.map(async (name) => ({ name: join(dir, name), text: await readFile(join(dir, name), 'utf8') })),
  )
  return parseRegistriesD(files)
}

/** Sections that apply to a reference, most specific first, `default-docker` last. */
function sectionsFor(config: RegistriesConfig, ref: DockerReference): RegistryNamespace[] {
  const sections: RegistryNamespace[] = []
  for (const scope of dockerPolicyScopes(ref)) {
    const ns = config.docker.get(scope)
    if (ns !== undefined) sections.push(ns)
  }
  if (config.defaultDocker !== undefined) sections.push(config.defaultDocker)
  return sections
}

/**
 * The lookaside base URL for reading (or, with `write`, the staging one first): each key is
 * resolved separately, the first section that sets it wins. Undefined: none configured.
 */
export function lookasideFor(config: RegistriesConfig, ref: DockerReference, write = false): string | undefined {
  for (const ns of sectionsFor(config, ref)) {
    const url = (write ? ns.lookasideStaging : undefined) ?? ns.lookaside
    if (url !== undefined) return url
  }
  return undefined
}

/** Whether sigstore attachments are read/written for the reference (unset everywhere → false). */
export function useSigstoreAttachments(config: RegistriesConfig, ref: DockerReference): boolean {
  for (const ns of sectionsFor(config, ref))
    if (ns.useSigstoreAttachments !== undefined) return ns.useSigstoreAttachments
  return false
}
