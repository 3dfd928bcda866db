import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs'
import { basename, extname, join, relative, sep } from 'node:path'
import type { ModuleSource } from '../api.ts'
import { RegoError } from '../errors.ts'
import { parseJson } from '../value/json.ts'
import { RegoObject, type Value } from '../value/value.ts'
import { mergeDataAt } from './data-tree.ts'
import { parseYamlValue } from './yaml-value.ts'

/** Policy modules and the base data document found under some paths. */
export interface PolicyFiles {
  /** `.rego` files, named by their path as found (relative paths stay relative). */
  readonly modules: readonly ModuleSource[]
  /** Every `.json`/`.yaml`/`.yml` file merged into one data document. */
  readonly data: RegoObject
}

const DATA_EXTENSIONS = new Set(['.json', '.yaml', '.yml'])

/**
 * Load policy files the way `opa eval -d` / `opa test` do. A file named directly is a module
 * (`.rego`) or a data document merged at the root of `data`. A directory is walked recursively
 * (skipping names that start with `.`): a data file in `dir/a/b/` is merged under `data.a.b`.
 * Throws `invalid_argument` for unreadable files, malformed data, or conflicting data.
 */
export function loadPolicyPaths(paths: readonly string[]): PolicyFiles {
  const modules: ModuleSource[] = []
  let data = new RegoObject()
  for (const path of paths) {
    if (statPath(path).isDirectory()) {
      for (const file of listFiles(path)) {
        const ext = extname(file)
        if (ext === '.rego') modules.push({ name: file, text: readText(file) })
        else if (DATA_EXTENSIONS.has(ext)) {
          const dir = relative(path, join(file, '..'))
          const at = dir === '' ? [] : dir.split(sep)
          data = mergeDataAt(data, at, readValueFile(file), file)
        }
      }
    } else if (extname(path) === '.rego') {
      modules.push({ name: path, text: readText(path) })
    } else {
      data = mergeDataAt(data, [], readValueFile(path), path)
    }
  }
  return { modules, data }
}

/**
 * Read one JSON or YAML document (chosen by the extension; anything but `.yaml`/`.yml` is JSON)
 * without losing number precision.
 */
export function readValueFile(path: string): Value {
  const text = readText(path)
  const ext = extname(path)
  try {
    return ext === '.yaml' || ext === '.yml' ? parseYamlValue(text) : parseJson(text)
  } catch (e) {
    if (e instanceof RegoError) throw new RegoError(e.code, `${path}: ${e.message}`, undefined, { cause: e })
    throw e
  }
}

function statPath(path: string): Stats {
  try {
    return statSync(path)
  } catch (e) {
    throw new RegoError('invalid_argument', `cannot read ${path}: ${(e as Error).message}`, undefined, { cause: e })
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    throw new RegoError('invalid_argument', `cannot read ${path}: ${(e as Error).message}`, undefined, { cause: e })
  }
}

/** Files under dir in a stable (sorted) order, hidden entries left out. */
function listFiles(dir: string): string[] {
  const out: string[] = []
  const names = readdirSync(dir).sort()
  for (const name of names) {
    if (basename(name).startsWith('.')) continue
    const path = join(dir, name)
    if (statPath(path).isDirectory()) out.push(...listFiles(path))
    else out.push(path)
  }
  return out
}
