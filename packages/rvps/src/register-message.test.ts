import assert from 'node:assert/strict'
import { test } from 'node:test'
import { RvpsError, type RvpsErrorCode } from './errors.ts'
import { parseRegisterMessage } from './register-message.ts'

function rejects(input: unknown, code: RvpsErrorCode, message: RegExp): void {
  assert.throws(
    () => parseRegisterMessage(input),
    (error: unknown) => error instanceof RvpsError && error.code === code && message.test(error.message),
  )
}

test('a well-formed message parses, from text or from a value', () => {
  const message = { version: '0.1.0', type: 'sample', payload: 'e30=' }
  assert.deepEqual(parseRegisterMessage(message), message)
  assert.deepEqual(parseRegisterMessage(JSON.stringify(message)), message)
})

test('an absent version means 0.1.0 and unknown fields are ignored, as upstream', () => {
  assert.deepEqual(parseRegisterMessage({ type: 'swid', payload: '', extra: 1 }), {
    version: '0.1.0',
    type: 'swid',
    payload: '',
  })
})

test('the type is not judged by the parser', () => {
  assert.equal(parseRegisterMessage({ version: '0.1.0', type: 'in-toto', payload: 'x' }).type, 'in-toto')
})

test('malformed messages', () => {
  rejects('{', 'MALFORMED', /not valid JSON/)
  rejects('[]', 'MALFORMED', /must be a JSON object/)
  rejects(null, 'MALFORMED', /must be a JSON object/)
  rejects(42, 'MALFORMED', /must be a JSON object/)
  rejects({ version: 1, type: 'sample', payload: '' }, 'MALFORMED', /`version` must be a string/)
  rejects({ version: null, type: 'sample', payload: '' }, 'MALFORMED', /`version` must be a string/)
  rejects({ version: '0.1.0', payload: '' }, 'MALFORMED', /lacks the field `type`/)
  rejects({ version: '0.1.0', type: ['sample'], payload: '' }, 'MALFORMED', /`type` must be a string/)
  rejects({ version: '0.1.0', type: 'sample' }, 'MALFORMED', /lacks the field `payload`/)
  rejects({ version: '0.1.0', type: 'sample', payload: { a: 1 } }, 'MALFORMED', /`payload` must be a string/)
  // The README's field name is not the one the code reads.
  rejects({ version: '0.1.0', type: 'sample', provenance: 'e30=' }, 'MALFORMED', /lacks the field `payload`/)
})

test('other versions are refused', () => {
  rejects({ version: '0.2.0', type: 'sample', payload: '' }, 'UNSUPPORTED_VERSION', /"0\.2\.0" is not supported/)
  rejects({ version: '0.1', type: 'sample', payload: '' }, 'UNSUPPORTED_VERSION', /need 0\.1\.0/)
})
