import { readdirSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, resolve, sep } from 'node:path'
import type { RegoVersion } from '../ast/ast.ts'
import { RegoError } from '../errors.ts'

/** A conformance case file found under a root. */
export interface CaseFileRef {
  /** Where to read it. */
  readonly path: string
  /** Its name in reports, from the `v0`/`v1` component on when there is one: `v1/aggregates/test-x.yaml`. */
  readonly name: string
  /** The directory it is reported under: `v1/aggregates`. */
  readonly directory: string
  /** Rego version of its modules: 0 under a `v0` path component, otherwise 1. */
  readonly regoVersion: RegoVersion
}

/**
 * Every `.yaml`/`.yml` file under `root` (or `root` itself when it is a file), sorted by name.
 * Throws `invalid_argument` when root cannot be read.
 */
export function findCaseFiles(root: string): CaseFileRef[] {
  const absRoot = resolve(root)
  let paths: string[]
  try {
    paths = statSync(absRoot).isDirectory() ? listYaml(absRoot) : [absRoot]
  } catch (e) {
    throw new RegoError('invalid_argument', `cannot read ${root}: ${(e as Error).message}`, undefined, { cause: e })
  }
  const base = dirname(absRoot)
  return paths.map((path) => describe(path, base)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** The last `v0`/`v1` component of the path decides the version and starts the report name. */
function describe(path: string, base: string): CaseFileRef {
  const parts = path.split(sep)
  let at = -1
  for (let i = parts.length - 2; i >= 0; i--) {
    if (parts[i] === 'v0' || parts[i] === 'v1') {
      at = i
      break
    }
  }
  const name = at >= 0 ? parts.slice(at).join('/') : relative(base, path).split(sep).join('/')
  const directory = name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '.'
  return { path, name, directory, regoVersion: parts[at] === 'v0' ? 0 : 1 }
}

function listYaml(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('.')) continue
    const path = join(dir, entry)
    if (statSync(path).isDirectory()) out.push(...listYaml(path))
    else if (/\.ya?ml$/.test(basename(path))) out.push(path)
  }
  return out
}
