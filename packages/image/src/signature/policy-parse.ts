import { readFile } from 'node:fs/promises'
import { posix } from 'node:path'
import { formatDockerReference, parseDockerReference } from '../reference/docker-reference.ts'
import { expectObject, expectOnlyKeys, invalidPolicy } from './policy-json.ts'
import type { Policy, PolicyRequirement } from './policy-types.ts'
import { parseRequirement } from './requirement-parse.ts'
import { SignatureError } from './signature-error.ts'
import { parseStrictJson } from './strict-json.ts'

/** Policy files are small; anything bigger is refused before parsing. */
export const POLICY_SIZE_LIMIT = 4 * 1024 * 1024

/**
 * Parses containers-policy.json strictly, as containers/image does: unknown or duplicate members
 * anywhere, a missing `default`, an empty requirement list or an invalid docker/oci scope make the
 * whole policy invalid (INVALID_POLICY). Unknown transport names are kept, unvalidated.
 */
export function parsePolicy(text: string | Uint8Array): Policy {
  if (text.length > POLICY_SIZE_LIMIT) throw invalidPolicy(`larger than ${POLICY_SIZE_LIMIT} bytes`)
  const json = typeof text === 'string' ? text : Buffer.from(text).toString('utf8')
  const root = expectObject(parseStrictJson(json, 'INVALID_POLICY', 'invalid policy'), 'the policy')
  expectOnlyKeys(root, ['default', 'transports'], 'the policy')
  if (root.default === undefined) throw invalidPolicy('Default policy is missing')
  const defaultRequirements = parseRequirements(root.default, 'default')
  const transports = new Map<string, Map<string, readonly PolicyRequirement[]>>()
  if (root.transports !== undefined && root.transports !== null) {
    const byTransport = expectObject(root.transports, 'transports')
    for (const [transport, scopesValue] of Object.entries(byTransport)) {
      const scopes = new Map<string, readonly PolicyRequirement[]>()
      if (scopesValue !== null) {
        for (const [scope, list] of Object.entries(expectObject(scopesValue, `transports.${transport}`))) {
          validateScope(transport, scope)
          scopes.set(scope, parseRequirements(list, `transports.${transport}[${JSON.stringify(scope)}]`))
        }
      }
      transports.set(transport, scopes)
    }
  }
  return { default: defaultRequirements, transports }
}

/** Reads and parses a policy file. */
export async function loadPolicy(path: string): Promise<Policy> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (e) {
    throw new SignatureError('INVALID_POLICY', `cannot read policy ${path}: ${(e as Error).message}`, { cause: e })
  }
  try {
    return parsePolicy(bytes)
  } catch (e) {
    if (e instanceof SignatureError) throw new SignatureError(e.code, `${path}: ${e.message}`, { cause: e })
    throw e
  }
}

function parseRequirements(v: unknown, where: string): PolicyRequirement[] {
  if (!Array.isArray(v)) throw invalidPolicy(`${where} must be a list of requirements`)
  if (v.length === 0) throw invalidPolicy(`${where}: List of verification policy requirements must not be empty`)
  return v.map((r, i) => parseRequirement(r, `${where}[${i}]`))
}

const WILDCARD_DOMAIN =
  /^\*\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*$/
const HOST_PORT =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/

/** Scope syntax for the transports we evaluate (`""` is every transport's default). */
function validateScope(transport: string, scope: string): void {
  if (scope === '') return
  const where = `transports.${transport}: invalid scope ${JSON.stringify(scope)}`
  if (transport === 'docker') {
    if (WILDCARD_DOMAIN.test(scope) || (HOST_PORT.test(scope) && /[.:]|^localhost$/.test(scope))) return
    let canonical: string | undefined
    try {
      canonical = formatDockerReference(parseDockerReference(scope))
    } catch (e) {
      throw invalidPolicy(`${where}: ${(e as Error).message}`)
    }
    if (canonical !== scope) throw invalidPolicy(`${where}: Uses non-canonical format, perhaps try ${canonical}`)
  } else if (transport === 'oci') {
    if (!scope.startsWith('/')) throw invalidPolicy(`${where}: must be an absolute path`)
    if (scope === '/') throw invalidPolicy(`${where}: Use the generic default scope ""`)
    const cleaned = posix.normalize(scope).replace(/(.)\/$/, '$1')
    if (cleaned !== scope)
      throw invalidPolicy(`${where}: Uses non-canonical path format, perhaps try with path ${cleaned}`)
  }
}
