import { fromJS, RegoError, type EvalOptions, type RuleExplanation } from '@carapace/rego'
import type { Storage } from '@carapace/storage'
import { KbsError } from '../http/errors.ts'
import { ALLOW_RULE, compiledResourcePolicy, type CachedResourcePolicy } from './compiled-policy-cache.ts'
import { DEFAULT_RESOURCE_POLICY } from './default-resource-policy.ts'
import { PolicyDenyError } from './policy-deny-error.ts'

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
  compiledResourcePolicy(text)
  await storage.put(POLICY_NAMESPACE, RESOURCE_POLICY_KEY, Buffer.from(text, 'utf8'))
}

/** GET /resource-policy: the ids of stored policies (upstream lists ids, not the text). */
export async function listResourcePolicies(storage: Storage): Promise<string[]> {
  const keys = await storage.list(POLICY_NAMESPACE)
  return keys.filter((key) => key.endsWith('.rego')).map((key) => key.slice(0, -'.rego'.length))
}

/**
 * `data.policy.allow` with input = token claims; anything but `true` denies, with a
 * PolicyDenyError that explains which expressions failed on which claims.
 */
export async function checkResourcePolicy(
  storage: Storage,
  claims: unknown,
  request: PolicyRequestData,
): Promise<void> {
  const stored = await storage.get(POLICY_NAMESPACE, RESOURCE_POLICY_KEY)
  const text = stored === undefined ? DEFAULT_RESOURCE_POLICY : Buffer.from(stored).toString('utf8')
  const cached = compiledResourcePolicy(text)
  const options: EvalOptions = {
    input: fromJS(claims),
    data: fromJS({ plugin: request.plugin, 'resource-path': request.resourcePath, query: request.query }),
    maxSteps: 1_000_000,
  }
  let allowed
  try {
    allowed = cached.policy.evalRule(ALLOW_RULE, options)
  } catch (cause) {
    const detail = cause instanceof RegoError ? cause.toString() : 'evaluation failed'
    throw new KbsError('POLICY_ENGINE', `resource policy evaluation failed: ${detail}`, { cause })
  }
  if (allowed !== true) throw new PolicyDenyError(cached.digest, explainDenial(cached, options))
}

/** Best effort: a denial is reported even when explaining it fails. */
function explainDenial(cached: CachedResourcePolicy, options: EvalOptions): RuleExplanation | undefined {
  try {
    return cached.explainer().explain(options)
  } catch {
    return undefined
  }
}

function decodeBase64UrlNoPad(text: string): string {
  if (!BASE64URL_NO_PAD.test(text) || text.length % 4 === 1) {
    throw new KbsError('POLICY_ENGINE', 'policy is not base64url without padding')
  }
  return Buffer.from(text, 'base64url').toString('utf8')
}
