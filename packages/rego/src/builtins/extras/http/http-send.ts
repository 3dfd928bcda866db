import { objectArg } from '../../args.ts'
import { builtin, BuiltinError, type BuiltinDef } from '../../builtin.ts'
import { toRegoText } from '../../../value/rego-text.ts'
import { RegoObject, RegoSet, type Value } from '../../../value/value.ts'

/** The request keys OPA's http.send accepts (v1/topdown/http.go). */
const ALLOWED_KEYS: ReadonlySet<string> = new Set([
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
const REQUIRED_KEYS = ['method', 'url'] as const

function keySetText(keys: readonly Value[]): string {
  return toRegoText(RegoSet.from(keys))
}

/** Checks the request object as OPA does before it would send anything. */
function validateRequest(request: RegoObject): void {
  const invalid = request.keys().filter((k) => typeof k !== 'string' || !ALLOWED_KEYS.has(k))
  if (invalid.length > 0) {
    throw new BuiltinError('eval_type_error', `operand 1 invalid request parameters(s): ${keySetText(invalid)}`)
  }
  const missing = REQUIRED_KEYS.filter((k) => !request.has(k))
  if (missing.length > 0) {
    throw new BuiltinError(
      'eval_type_error',
      `operand 1 missing required request parameters(s): ${keySetText(missing)}`,
    )
  }
}

/**
 * `http.send` with network access disabled, as OPA behaves under capabilities with an empty
 * `allow_net`: the request is validated, then refused. Policies that need a response mock the
 * builtin (`with http.send as ...`). With `raise_error: false` the refusal is returned as OPA's
 * error object instead of raised.
 */
export const httpSendBuiltins: readonly BuiltinDef[] = [
  builtin(
    'http.send',
    1,
    (args) => {
      const request = objectArg(args, 0)
      validateRequest(request)
      const url = request.get('url')
      const message = `unallowed host: ${typeof url === 'string' ? url : toRegoText(url ?? null)} (policies have no network access)`
      if (request.get('raise_error') === false) {
        return RegoObject.from([
          ['status_code', 0],
          [
            'error',
            RegoObject.from([
              ['code', 'eval_http_send_network_error'],
              ['message', message],
            ]),
          ],
        ])
      }
      throw new BuiltinError('eval_builtin_error', message)
    },
    { nondeterministic: true },
  ),
]
