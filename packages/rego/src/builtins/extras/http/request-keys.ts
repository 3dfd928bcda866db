import { toRegoText } from '../../../value/rego-text.ts'
import { RegoSet, type RegoObject, type Value } from '../../../value/value.ts'
import { BuiltinError } from '../../builtin.ts'

/** The request keys OPA's http.send accepts (v1/topdown/http.go); sign_req checks the same list. */
const ALLOWED_REQUEST_KEYS: ReadonlySet<string> = new Set([
  'method',
  'url',
  'body',
  'enable_redirect',
  'force_json_decode',
  'force_yaml_decode',
  'headers',
  'raw_body',
  'tls_use_system_certs',
  'tls_ca_cert',
  'tls_ca_cert_file',
  'tls_ca_cert_env_variable',
  'tls_client_cert',
  'tls_client_cert_file',
  'tls_client_cert_env_variable',
  'tls_client_key',
  'tls_client_key_file',
  'tls_client_key_env_variable',
  'tls_insecure_skip_verify',
  'tls_server_name',
  'timeout',
  'cache',
  'force_cache',
  'force_cache_duration_seconds',
  'raise_error',
  'caching_mode',
  'max_retry_attempts',
  'cache_ignored_headers',
])
const REQUIRED_REQUEST_KEYS = ['method', 'url']

/** OPA's "operand N <message>" type errors (builtins.NewOperandErr). */
export function operandError(pos: number, message: string): BuiltinError {
  return new BuiltinError('eval_type_error', `operand ${pos} ${message}`)
}

/** A set of names as OPA prints it: `{"a", "b"}`. */
export function nameSet(names: Iterable<Value>): string {
  return toRegoText(RegoSet.from(names))
}

/** Rejects unknown and missing request keys of an http.send-style request object (operand `pos`). */
export function validateRequestKeys(request: RegoObject, pos: number): void {
  const invalid = request.keys().filter((k) => typeof k !== 'string' || !ALLOWED_REQUEST_KEYS.has(k))
  if (invalid.length > 0) throw operandError(pos, `invalid request parameters(s): ${nameSet(invalid)}`)
  const missing = REQUIRED_REQUEST_KEYS.filter((k) => !request.has(k))
  if (missing.length > 0) throw operandError(pos, `missing required request parameters(s): ${nameSet(missing)}`)
}
