import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fromJS, toJS } from '../../../value/json.ts'
import { RegoObject, RegoSet, type Value } from '../../../value/value.ts'
import { BuiltinError, type BuiltinContext } from '../../builtin.ts'
import { doublingRules, evalBounded, expectLimitError } from '../../bounds-test-support.ts'
import { awsBuiltins } from './sign-req.ts'

// Signatures from OPA's conformance cases (v1/providers-aws), computed by OPA.
const ctx: BuiltinContext = { strict: true, nowNs: 0n, random: () => 0, memo: new Map(), location: undefined }
const TS = 1451311705000000000n
const CONFIG = {
  aws_access_key: 'MYAWSACCESSKEYGOESHERE',
  aws_secret_access_key: 'MYAWSSECRETACCESSKEYGOESHERE',
  aws_service: 's3',
  aws_region: 'us-east-1',
}
const EMPTY_SHA = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

function sign(req: Value, config: Value, ts: Value = TS): Value | undefined {
  const def = awsBuiltins[0]
  assert.ok(def)
  return def.fn([req, config, ts], ctx)
}

function signatureOf(out: Value | undefined): string {
  assert.ok(out instanceof RegoObject)
  const headers = out.get('headers')
  assert.ok(headers instanceof RegoObject)
  const auth = headers.get('Authorization')
  assert.equal(typeof auth, 'string')
  return (auth as string).split('Signature=')[1] ?? ''
}

test('signs a request without a body', () => {
  const out = sign(fromJS({ method: 'get', url: 'http://example.com' }), fromJS(CONFIG))
  assert.deepEqual(toJS(out as Value), {
    headers: {
      Authorization:
        'AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,Signature=0047a7016c81e5c7f29cd522f97e911e04fc472fced0aee7916cbc287ad6c8e3',
      host: 'example.com',
      'x-amz-content-sha256': EMPTY_SHA,
      'x-amz-date': '20151228T140825Z',
    },
    method: 'get',
    url: 'http://example.com',
  })
})

test('signs headers, session tokens and JSON bodies', () => {
  const withHeaders = sign(
    fromJS({ method: 'get', url: 'http://example.com', headers: { foo: 'bar' } }),
    fromJS(CONFIG),
  )
  assert.equal(signatureOf(withHeaders), '8f1dc7c9b9978356a0d0989fd26a95307f4f8a4aa264d8220647b7097d839952')
  const withToken = sign(
    fromJS({ method: 'get', url: 'http://example.com' }),
    fromJS({ ...CONFIG, aws_session_token: 'MYAWSSECURITYTOKENGOESHERE' }),
  )
  assert.equal(signatureOf(withToken), '23c31bda8a74630c0a94f6b82a3511e7e74728df98e6f54ed0840488dbbdc8d1')
  const body = fromJS({}) as RegoObject
  body.set('example', RegoSet.from([1, 2, 3, 4]))
  const withBody = (fromJS({ method: 'get', url: 'http://example.com' }) as RegoObject).clone().set('body', body)
  assert.equal(
    signatureOf(sign(withBody, fromJS(CONFIG))),
    '5fb06ab1cfd74c8fcb3af95b8cce696708cf6155d971dac10f254d79799c6e88',
  )
})

test('payload signing can be disabled', () => {
  const req = fromJS({
    method: 'get',
    url: 'https://example.com',
    headers: { foo: 'bar', 'x-amz-content-sha256': 'existing-value' },
  })
  const out = sign(req, fromJS({ ...CONFIG, disable_payload_signing: true }))
  assert.equal(signatureOf(out), 'edcd3ca3fd3acdfbcecad1a1d8062dbc6562d90352e294c336f9727397f9c383')
  assert.equal(((out as RegoObject).get('headers') as RegoObject).get('x-amz-content-sha256'), 'UNSIGNED-PAYLOAD')
})

test('operand errors use OPA wording', () => {
  const cases: [Value, Value, Value, string][] = [
    [fromJS({}), fromJS(CONFIG), TS, 'operand 1 missing required request parameters(s): {"method", "url"}'],
    [
      fromJS({ method: 'get', url: 'x' }),
      fromJS({ a: 'b' }),
      TS,
      'operand 2 missing required AWS config parameters(s): {"aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"}',
    ],
    [
      fromJS({ method: 'get', url: 'x' }),
      fromJS(CONFIG),
      1.5,
      'operand 3 could not convert time_ns value into a unix timestamp',
    ],
    [
      fromJS({ method: 'get', url: 'x' }),
      fromJS({ ...CONFIG, disable_payload_signing: 'false' }),
      TS,
      "operand 2 invalid value for 'disable_payload_signing' in AWS config",
    ],
    [
      fromJS({ method: 'get', url: 'x', bogus: 1 }),
      fromJS(CONFIG),
      TS,
      'operand 1 invalid request parameters(s): {"bogus"}',
    ],
  ]
  for (const [req, config, ts, message] of cases) {
    assert.throws(
      () => sign(req, config, ts),
      (e: unknown) => e instanceof BuiltinError && e.code === 'eval_type_error' && e.message === message,
    )
  }
})

test('a huge body is charged before its JSON text is built', () => {
  const config = JSON.stringify(CONFIG)
  expectLimitError(
    `${doublingRules(24)}\np := providers.aws.sign_req({"method": "post", "url": "http://example.com", "body": d24}, ${config}, 1451311705000000000)`,
  )
  assert.ok(
    evalBounded(
      `p := providers.aws.sign_req({"method": "post", "url": "http://example.com", "body": {"a": 1}}, ${config}, 1451311705000000000)`,
    ),
  )
})
