import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KbsError, kbsErrorResponse } from './errors.ts'

describe('kbsErrorResponse', () => {
  it('maps path errors to 404 and others to 401 with the upstream type URI', () => {
    assert.deepEqual(kbsErrorResponse(new KbsError('INVALID_REQUEST_PATH', 'bad')), {
      status: 404,
      body: { type: 'https://github.com/confidential-containers/kbs/errors/InvalidRequestPath', detail: 'bad' },
    })
    assert.equal(kbsErrorResponse(new KbsError('PLUGIN_NOT_FOUND', 'x')).status, 404)
    const deny = kbsErrorResponse(new KbsError('POLICY_DENY', 'denied'))
    assert.equal(deny.status, 401)
    assert.equal(deny.body.type, 'https://github.com/confidential-containers/kbs/errors/PolicyDeny')
  })
  it('hides the message of unknown errors', () => {
    assert.deepEqual(kbsErrorResponse(new TypeError('secret')).body.detail, 'internal error')
  })
})
