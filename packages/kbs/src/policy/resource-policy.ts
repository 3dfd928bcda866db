import { compile, fromJS, RegoError, type CompiledPolicy } from '@carapace/rego'
import type { Storage } from '@carapace/storage'
import { KbsError } from '../http/errors.ts'
import { DEFAULT_RESOURCE_POLICY } from './default-resource-policy.ts'

export const POLICY_NAMESPACE = 'kbs'
export const RESOURCE_POLICY_ID = 'resource-policy'
const RESOURCE_POLICY_KEY = `${RESOURCE_POLICY_ID}.rego`
const BASE64URL_NO_PAD = /^[A-Za-z0-9_-]*$/

/** What the policy sees as `data`: `{"plugin", "resource-path", "query"}`. */
export interface PolicyRequestData {
  readonly plugin: string
  readonly resourcePath: readonly string[]
  readonly query: Readonly<Record<string, string>>
}

/** Stores the upstream default unless a policy is already there (overwrite = false). */
export async function installDefaultResourcePolicy(storage: Storage): Promise<void> {
  await storage.putIfAbsent(POLICY_NAMESPACE, RESOURCE_POLICY_KEY, Buffer.from(DEFAULT_RESOURCE_POLICY, 'utf8'))
}

/** POST /resource-policy `{"policy": "<base64url, no padding>"}`; the policy must compile first. */
export async function setResourcePolicy(storage: Storage, body: unknown): Promise<void> {
  const encoded = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['policy'] : undefined
  if (typeof encoded !== 'string') throw new KbsError('PARSE_POLICY', 'body must be {"policy": "<base64url rego>"}')
  const text = decodeBase64UrlNoPad(encoded)
  compilePolicy(text)
  await storage.put(POLICY_NAMESPACE, RESOURCE_POLICY_KEY, Buffer.from(text, 'utf8'))
}

/** GET /resource-policy: the ids of stored policies (upstream lists ids, not the text). */
export async function listResourcePolicies(storage: Storage): Promise<string[]> {
  const keys = await storage.list(POLICY_NAMESPACE)
  return keys.filter((key) => key.endsWith('.rego')).map((key) => key.slice(0, -'.rego'.length))
}

/** `data.policy.allow` with input = token claims; anything but `true` denies. */
export async function checkResourcePolicy(
  storage: Storage,
  claims: unknown,
  request: PolicyRequestData,
): Promise<void> {
  const stored = await storage.get(POLICY_NAMESPACE, RESOURCE_POLICY_KEY)
  const text = stored === undefined ? DEFAULT_RESOURCE_POLICY : Buffer.from(stored).toString('utf8')
  const policy = compilePolicy(text)
  let allowed
  try {
    allowed = policy.evalRule('data.policy.allow', {
      input: fromJS(claims),
      data: fromJS({ plugin: request.plugin, 'resource-path': request.resourcePath, query: request.query }),
      maxSteps: 1_000_000,
    })
  } catch (cause) {
    const detail = cause instanceof RegoError ? cause.message : 'evaluation failed'
    throw new KbsError('POLICY_ENGINE', `resource policy evaluation failed: ${detail}`, { cause })
  }
  if (allowed !== true) throw new KbsError('POLICY_DENY', 'Resource policy denied the request')
}

let cached: { text: string; policy: CompiledPolicy } | undefined

function compilePolicy(text: string): CompiledPolicy {
  if (cached?.text === text) return cached.policy
  try {
    const policy = compile([{ name: 'resource-policy.rego', text }])
    cached = { text, policy }
    return policy
  } catch (cause) {
    const detail = cause instanceof RegoError ? cause.message : 'does not compile'
    throw new KbsError('POLICY_ENGINE', `invalid resource policy: ${detail}`, { cause })
  }
}

function decodeBase64UrlNoPad(text: string): string {
  if (!BASE64URL_NO_PAD.test(text) || text.length % 4 === 1) {
    throw new KbsError('POLICY_ENGINE', 'policy is not base64url without padding')
  }
  return Buffer.from(text, 'base64url').toString('utf8')
}
