import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { assertProtocolError as rejects } from '../assert-protocol-error.ts'
import {
  errorInformationToWire,
  KBS_ERROR_VARIANTS,
  kbsErrorInformation,
  kbsErrorStatus,
  kbsErrorVariant,
  parseErrorInformation,
} from './error-information.ts'

describe('ErrorInformation', () => {
  it('builds the upstream body', () => {
    const info = kbsErrorInformation('PolicyDeny', 'Resource policy denied')
    assert.equal(
      JSON.stringify(errorInformationToWire(info)),
      '{"type":"https://github.com/confidential-containers/kbs/errors/PolicyDeny","detail":"Resource policy denied"}',
    )
    assert.equal(kbsErrorVariant(info), 'PolicyDeny')
  })

  it('maps every variant back and to its HTTP status', () => {
    assert.equal(KBS_ERROR_VARIANTS.length, 19)
    for (const variant of KBS_ERROR_VARIANTS) {
      assert.equal(kbsErrorVariant(parseErrorInformation(kbsErrorInformation(variant, 'd'))), variant)
    }
    assert.equal(kbsErrorStatus('InvalidRequestPath'), 404)
    assert.equal(kbsErrorStatus('PluginNotFound'), 404)
    assert.equal(kbsErrorStatus('PluginInternalError'), 401)
    assert.equal(kbsErrorStatus('TokenNotFound'), 401)
  })

  it('accepts foreign problem types without naming a variant', () => {
    assert.equal(kbsErrorVariant({ type: 'problemtype', detail: '' }), undefined)
    assert.equal(
      kbsErrorVariant({ type: 'https://github.com/confidential-containers/kbs/errors/AdminAuth', detail: '' }),
      undefined,
    )
  })

  it('rejects malformed bodies', () => {
    rejects(() => parseErrorInformation('oops'), 'MALFORMED', 'ErrorInformation')
    rejects(() => parseErrorInformation({ detail: 'd' }), 'MALFORMED', 'ErrorInformation.type')
    rejects(() => parseErrorInformation({ type: 't' }), 'MALFORMED', 'ErrorInformation.detail')
    rejects(() => parseErrorInformation({ type: 't', detail: 3 }), 'MALFORMED', 'ErrorInformation.detail')
  })
})
