import type { Storage } from '@carapace/storage'
import { RegoError } from '@carapace/rego'
import { AttestationServiceError } from '../errors.ts'
import { createCompiledPolicyCache, type CachedPolicy } from './compiled-policy-cache.ts'
import { readDefaultPolicies } from './default-policies.ts'
import { POLICY_NAMESPACE, policyKey } from './policy-id.ts'
import { referenceValueHostFunction } from './reference-value-host.ts'

export interface PolicyStore {
  /** Stores the built-in `default_*` policies where no policy of that id exists yet. */
  installDefaults(): Promise<void>
  /** Compiles, then stores; a policy that does not compile is `POLICY_INVALID` and nothing is written. */
  setPolicy(id: string, text: string): Promise<void>
  /** The stored text, or undefined. */
  getPolicy(id: string): Promise<string | undefined>
  /** Ids of stored policies, sorted. */
  listPolicies(): Promise<string[]>
  /** The compiled policy of an id (`POLICY_NOT_FOUND` if absent), compiled once per distinct text. */
  compiled(id: string): Promise<CachedPolicy>
}

async function onStorage<T>(action: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (cause) {
    throw new AttestationServiceError('STORAGE', `policy storage failed to ${action}`, { cause })
  }
}

export function createPolicyStore(storage: Storage): PolicyStore {
  const cache = createCompiledPolicyCache(referenceValueHostFunction)

  function compileOrReject(id: string, text: string): CachedPolicy {
    try {
      return cache.get(text)
    } catch (cause) {
      if (cause instanceof RegoError) {
        throw new AttestationServiceError('POLICY_INVALID', `policy ${id}: ${cause.message}`, { cause })
      }
      throw cause
    }
  }

  async function getPolicy(id: string): Promise<string | undefined> {
    const bytes = await onStorage('read', () => storage.get(POLICY_NAMESPACE, policyKey(id)))
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes)
  }

  return {
    async installDefaults() {
      for (const { id, text } of await readDefaultPolicies()) {
        await onStorage('write', () =>
          storage.putIfAbsent(POLICY_NAMESPACE, policyKey(id), new TextEncoder().encode(text)),
        )
      }
    },
    async setPolicy(id, text) {
      const key = policyKey(id)
      compileOrReject(id, text)
      await onStorage('write', () => storage.put(POLICY_NAMESPACE, key, new TextEncoder().encode(text)))
    },
    getPolicy,
    async listPolicies() {
      const keys = await onStorage('list', () => storage.list(POLICY_NAMESPACE))
      return keys.filter((k) => k.endsWith('.rego')).map((k) => k.slice(0, -'.rego'.length))
    },
    async compiled(id) {
      const text = await getPolicy(id)
      if (text === undefined) throw new AttestationServiceError('POLICY_NOT_FOUND', `no policy ${JSON.stringify(id)}`)
      return compileOrReject(id, text)
    },
  }
}
