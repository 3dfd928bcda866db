import { objectArg } from '../../args.ts'
import { builtin, BuiltinError, type BuiltinDef } from '../../builtin.ts'
import { toRegoText } from '../../../value/rego-text.ts'
import { RegoObject } from '../../../value/value.ts'
import { validateRequestKeys } from './request-keys.ts'

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
      validateRequestKeys(request, 1)
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
