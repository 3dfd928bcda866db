import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BuiltinContext } from '../../builtin.ts'
import { BuiltinError } from '../../builtin.ts'
import { fromJS } from '../../../value/json.ts'
import { RegoObject } from '../../../value/value.ts'
import { httpSendBuiltins } from './http-send.ts'

const ctx: BuiltinContext = { strict: true, nowNs: 0n, random: () => 0, memo: new Map(), location: undefined }
const send = (request: unknown) => httpSendBuiltins[0]?.fn([fromJS(request)], ctx)

function expectMessage(request: unknown, code: string, text: string): void {
  assert.throws(
    () => send(request),
    (e: unknown) => e instanceof BuiltinError && e.code === code && e.message === text,
  )
}

test('http.send rejects unknown request keys with OPA wording', () => {
  expectMessage(
    { bad_key: 'x', method: 'get', url: 'http://127.0.0.1:1' },
    'eval_type_error',
    'operand 1 invalid request parameters(s): {"bad_key"}',
  )
})

test('http.send requires method and url', () => {
  expectMessage({ method: 'get' }, 'eval_type_error', 'operand 1 missing required request parameters(s): {"url"}')
  expectMessage({}, 'eval_type_error', 'operand 1 missing required request parameters(s): {"method", "url"}')
})

test('a valid request is refused because policies have no network', () => {
  expectMessage(
    { method: 'get', url: 'https://example.com' },
    'eval_builtin_error',
    'unallowed host: https://example.com (policies have no network access)',
  )
})

test('raise_error false returns the refusal as an error object', () => {
  const r = send({ method: 'get', url: 'https://example.com', raise_error: false })
  assert.ok(r instanceof RegoObject)
  assert.equal(r.get('status_code'), 0)
  const err = r.get('error')
  assert.ok(err instanceof RegoObject)
  assert.equal(err.get('code'), 'eval_http_send_network_error')
})
