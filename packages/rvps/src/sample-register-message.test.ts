import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RvpsError } from './errors.ts'
import { sampleRegisterMessage } from './sample-register-message.ts'

function provenance(message: { payload: string }): string {
  return Buffer.from(message.payload, 'base64').toString('utf8')
}

test('the default wraps the string value in an array, as kbs-client does', () => {
  const message = sampleRegisterMessage('svn', '1')
  assert.equal(provenance(message), '{"svn":["1"]}')
  // Byte-exact kbs-client body (serde_json writes object keys sorted).
  assert.equal(JSON.stringify(message), '{"payload":"eyJzdm4iOlsiMSJdfQ==","type":"sample","version":"0.1.0"}')
})

test('--as-single-value stores the value itself', () => {
  assert.equal(
    provenance(sampleRegisterMessage('launch_digest', 'abcde', { asSingleValue: true })),
    '{"launch_digest":"abcde"}',
  )
})

test('--as-integer converts a decimal i32', () => {
  assert.equal(provenance(sampleRegisterMessage('major_version', '1', { asInteger: true })), '{"major_version":[1]}')
  assert.equal(
    provenance(sampleRegisterMessage('m', '-2147483648', { asInteger: true, asSingleValue: true })),
    '{"m":-2147483648}',
  )
  assert.equal(provenance(sampleRegisterMessage('m', '+007', { asInteger: true, asSingleValue: true })), '{"m":7}')
  for (const bad of ['', '+', '1.0', '1e3', ' 1', '0x10', 'abc', '2147483648', '-2147483649']) {
    assert.throws(
      () => sampleRegisterMessage('m', bad, { asInteger: true }),
      (error: unknown) => error instanceof RvpsError && error.code === 'INVALID_VALUE',
      bad,
    )
  }
})

test('--as-bool converts exactly true or false', () => {
  assert.equal(provenance(sampleRegisterMessage('debug', 'false', { asBool: true })), '{"debug":[false]}')
  assert.equal(
    provenance(sampleRegisterMessage('debug', 'true', { asBool: true, asSingleValue: true })),
    '{"debug":true}',
  )
  for (const bad of ['True', '1', 'yes', '']) {
    assert.throws(
      () => sampleRegisterMessage('debug', bad, { asBool: true }),
      (error: unknown) => error instanceof RvpsError && error.code === 'INVALID_VALUE',
    )
  }
})

test('--as-integer and --as-bool exclude each other', () => {
  assert.throws(
    () => sampleRegisterMessage('x', '1', { asInteger: true, asBool: true }),
    (error: unknown) => error instanceof RvpsError && error.code === 'INVALID_VALUE' && /together/.test(error.message),
  )
})

test('names and values are JSON-escaped like serde_json', () => {
  assert.equal(provenance(sampleRegisterMessage('a"b', 'é\n\u0001/')), '{"a\\"b":["é\\n\\u0001/"]}')
})
