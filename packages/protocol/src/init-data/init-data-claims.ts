import { parse, TomlDate } from 'smol-toml'
import type { JsonObject, JsonValue } from '../jcs/json-value.ts'
import type { InitDataDocument } from './init-data-document.ts'

const TOML_ENTRIES = ['cdh.toml', 'aa.toml'] as const
const POLICY_ENTRY = 'policy.rego'
const POLICY_DATA_START = 'policy_data := {'

/**
 * The `init_data_claims` Trustee's AS puts in the token (attestation-service `parse_init_data`):
 * the `data` map, where `cdh.toml`/`aa.toml` values that parse as TOML become JSON objects (left
 * as text otherwise), and a `policy.rego` whose `policy_data := {…}` (read from its first
 * occurrence to the end of the text) is valid JSON is replaced by `agent_policy_claims`.
 *
 * Upstream differences kept narrow: TOML datetimes become `{"$__toml_private_datetime": <text>}`
 * like serde's `toml::Value`, but the text is JavaScript's ISO form (milliseconds included);
 * non-finite floats become `null` as in serde_json; integers beyond 2^53 lose precision.
 */
export function initDataClaims(doc: InitDataDocument): JsonObject {
  // fromEntries defines own properties, so a `__proto__` file name stays an ordinary key.
  const claims: JsonObject = Object.fromEntries(Object.entries(doc.data))
  for (const key of TOML_ENTRIES) {
    const text = doc.data[key]
    if (text === undefined) continue
    const converted = tomlTextToJson(text)
    if (converted !== undefined) claims[key] = converted
  }
  const rego = doc.data[POLICY_ENTRY]
  if (rego !== undefined) {
    const policyData = extractPolicyData(rego)
    if (policyData !== undefined) {
      const kept = Object.entries(claims).filter(([key]) => key !== POLICY_ENTRY)
      return Object.fromEntries<JsonValue>([...kept, ['agent_policy_claims', policyData]])
    }
  }
  return claims
}

/** The JSON after `policy_data := ` (genpolicy writes it last), or `undefined` if absent/invalid. */
export function extractPolicyData(rego: string): JsonValue | undefined {
  const start = rego.indexOf(POLICY_DATA_START)
  if (start < 0) return undefined
  try {
    return JSON.parse(rego.slice(start + POLICY_DATA_START.length - 1)) as JsonValue
  } catch {
    return undefined
  }
}

function tomlTextToJson(text: string): JsonObject | undefined {
  let table: Record<string, unknown>
  try {
    table = parse(text, { integersAsBigInt: 'asNeeded' })
  } catch {
    return undefined
  }
  return tomlToJson(table) as JsonObject
}

function tomlToJson(value: unknown): JsonValue {
  if (value instanceof TomlDate) return { $__toml_private_datetime: value.toISOString() }
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string' || typeof value === 'boolean') return value
  if (Array.isArray(value)) return value.map(tomlToJson)
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, tomlToJson(item)]),
  )
}
