import assert from 'node:assert/strict'
import { test } from 'node:test'
import { KbsClientError } from '@carapace/kbs-client'
import { kbsFailureMessage } from './kbs-failure-message.ts'

function network(code: string): KbsClientError {
  const cause = Object.assign(new Error(`boom ${code}`), { code })
  return new KbsClientError('NETWORK', 'POST https://kbs.example:8080/kbs/v0/auth: boom', { cause })
}

const https = { url: 'https://kbs.example:8080', certFile: undefined }

test('network failures name the cause and the fix', () => {
  const cases: [string, typeof https | { url: string; certFile: string }, RegExp][] = [
    [
      'SELF_SIGNED_CERT_IN_CHAIN',
      https,
      /^certificate not trusted \(SELF_SIGNED_CERT_IN_CHAIN\) for kbs\.example:8080: pass --cert-file/,
    ],
    [
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      { ...https, certFile: 'ca.pem' },
      /--cert-file ca\.pem is not the certificate the KBS serves/,
    ],
    ['CERT_HAS_EXPIRED', https, /certificate at kbs\.example:8080 is not valid now/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', https, /does not name kbs\.example:8080/],
    ['ENOTFOUND', https, /cannot reach the KBS at https:\/\/kbs\.example:8080: unknown host/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', https, /is the KBS serving plain HTTP\? then use an http:\/\/ URL/],
    ['ECONNRESET', { url: 'http://kbs.example:8080', certFile: 'x' }, /if it serves HTTPS, use an https:\/\/ URL/],
    ['ETIMEDOUT', https, /^cannot reach the KBS at https:\/\/kbs\.example:8080: POST/],
  ]
  for (const [code, context, expected] of cases) assert.match(kbsFailureMessage(network(code), context), expected, code)
})

test('KBS answers print the upstream body; admin credentials only for admin auth errors', () => {
  const info = (variant: string) => ({
    type: `https://github.com/confidential-containers/kbs/errors/${variant}`,
    detail: 'd',
  })
  const refused = new KbsClientError('UNAUTHORIZED', 'GET /kbs/v0/resource-policy: KBS answered 401: d (x)', {
    status: 401,
    info: info('AdminAuthAccess'),
  })
  assert.equal(
    kbsFailureMessage(refused, { ...https, adminCredentials: '--admin-token' }),
    `GET /kbs/v0/resource-policy: KBS answered 401\n  ${JSON.stringify(info('AdminAuthAccess'))}\n  admin credentials used: --admin-token`,
  )
  const rvps = new KbsClientError('KBS_ERROR', 'GET /kbs/v0/reference-value/x: KBS answered 401: d (x)', {
    status: 401,
    info: info('RvpsError'),
  })
  assert.doesNotMatch(kbsFailureMessage(rvps, { ...https, adminCredentials: '--admin-token' }), /admin credentials/)
  const bare = new KbsClientError('KBS_ERROR', 'POST /kbs/v0/resource-policy: KBS answered 500', { status: 500 })
  assert.equal(kbsFailureMessage(bare, https), 'POST /kbs/v0/resource-policy: KBS answered 500')
})
