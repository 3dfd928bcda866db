import assert from 'node:assert/strict'
import { test } from 'node:test'
import { kbsErrorInformation } from '@carapace/protocol'
import { createKbsAdminClient } from './kbs-admin-client.ts'
import { KbsClientError, type KbsClientErrorCode } from './kbs-client-error.ts'

interface Seen {
  method: string
  url: string
  headers: Headers
  body: Uint8Array
}

function recorder(reply: (seen: Seen) => Response = () => new Response(null, { status: 200 })) {
  const seen: Seen[] = []
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const body =
      init?.body === undefined || init.body === null
        ? new Uint8Array()
        : new Uint8Array(await new Response(init.body).arrayBuffer())
    const request = {
      method: init?.method ?? 'GET',
      url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      headers: new Headers(init?.headers),
      body,
    }
    seen.push(request)
    return reply(request)
  }
  return { seen, fetch }
}

function at(seen: Seen[], index: number): Seen {
  const request = seen[index]
  assert.ok(request !== undefined, `no request #${String(index)}`)
  return request
}

const REGO = 'package policy\n\ndefault allow := true\n'
// base64url without padding of REGO (39 bytes → 52 characters, no '=')
const REGO_B64URL = Buffer.from(REGO).toString('base64url')

test('setResource POSTs the raw bytes as octet-stream with the Bearer admin token', async () => {
  const { seen, fetch } = recorder()
  const admin = createKbsAdminClient({ url: 'http://kbs.test/', token: 'admin.jwt.sig', fetch })
  await admin.setResource('default/key/1', Uint8Array.from([0, 255, 10]))
  const [request] = seen
  assert.ok(request !== undefined)
  assert.equal(request.method, 'POST')
  assert.equal(request.url, 'http://kbs.test/kbs/v0/resource/default/key/1')
  assert.equal(request.headers.get('authorization'), 'Bearer admin.jwt.sig')
  assert.equal(request.headers.get('content-type'), 'application/octet-stream')
  assert.deepEqual([...request.body], [0, 255, 10])
})

test('deleteResource sends DELETE; no token means no Authorization header', async () => {
  const { seen, fetch } = recorder()
  await createKbsAdminClient({ url: 'http://kbs.test', fetch }).deleteResource('a/b/c')
  assert.equal(at(seen, 0).method, 'DELETE')
  assert.equal(at(seen, 0).url, 'http://kbs.test/kbs/v0/resource/a/b/c')
  assert.equal(at(seen, 0).headers.get('authorization'), null)
})

test('setResourcePolicy body is exactly {"policy":<base64url, no padding>}', async () => {
  const { seen, fetch } = recorder()
  await createKbsAdminClient({ url: 'http://kbs.test', token: 't', fetch }).setResourcePolicy(REGO)
  assert.doesNotMatch(REGO_B64URL, /[=+/]/)
  assert.equal(at(seen, 0).url, 'http://kbs.test/kbs/v0/resource-policy')
  assert.equal(at(seen, 0).headers.get('content-type'), 'application/json')
  assert.equal(Buffer.from(at(seen, 0).body).toString(), `{"policy":"${REGO_B64URL}"}`)
})

test('a policy whose base64 would need padding and +/ characters is sent url-safe unpadded', async () => {
  const { seen, fetch } = recorder()
  const rego = '>>>?' // base64 "Pj4+Pw==", base64url unpadded "Pj4-Pw"
  await createKbsAdminClient({ url: 'http://kbs.test', fetch }).setResourcePolicy(rego)
  assert.equal(Buffer.from(at(seen, 0).body).toString(), '{"policy":"Pj4-Pw"}')
})

test('setAttestationPolicy body is {"type":"rego","policy_id":…,"policy":…}, default id default_cpu', async () => {
  const { seen, fetch } = recorder()
  const admin = createKbsAdminClient({ url: 'http://kbs.test', fetch })
  await admin.setAttestationPolicy(REGO)
  await admin.setAttestationPolicy(REGO, 'my_policy')
  assert.equal(at(seen, 0).url, 'http://kbs.test/kbs/v0/attestation-policy')
  assert.equal(
    Buffer.from(at(seen, 0).body).toString(),
    `{"type":"rego","policy_id":"default_cpu","policy":"${REGO_B64URL}"}`,
  )
  assert.equal(
    Buffer.from(at(seen, 1).body).toString(),
    `{"type":"rego","policy_id":"my_policy","policy":"${REGO_B64URL}"}`,
  )
})

test('reference values: POST the RVPS message as JSON, GET by id returns the JSON value', async () => {
  const { seen, fetch } = recorder((request) =>
    request.method === 'GET' ? Response.json(['1.2.3']) : new Response(null, { status: 200 }),
  )
  const admin = createKbsAdminClient({ url: 'http://kbs.test', fetch })
  const message = { version: '0.1.0', type: 'sample', payload: 'eyJzdm4iOlsiMSJdfQ==' }
  await admin.setReferenceValue(message)
  assert.equal(at(seen, 0).url, 'http://kbs.test/kbs/v0/reference-value')
  assert.equal(Buffer.from(at(seen, 0).body).toString(), JSON.stringify(message))
  assert.deepEqual(await admin.getReferenceValue('svn'), ['1.2.3'])
  assert.equal(at(seen, 1).url, 'http://kbs.test/kbs/v0/reference-value/svn')
})

test('listReferenceValues GETs /reference-value without an id and wants a JSON object', async () => {
  const { seen, fetch } = recorder(() => Response.json({ svn: ['1'], launch_digest: ['abc'] }))
  const admin = createKbsAdminClient({ url: 'http://kbs.test', token: 't', fetch })
  assert.deepEqual(await admin.listReferenceValues(), { svn: ['1'], launch_digest: ['abc'] })
  assert.equal(at(seen, 0).url, 'http://kbs.test/kbs/v0/reference-value')
  assert.equal(at(seen, 0).method, 'GET')
  const array = recorder(() => Response.json(['svn'])).fetch
  await assert.rejects(createKbsAdminClient({ url: 'http://kbs.test', fetch: array }).listReferenceValues(), {
    code: 'PROTOCOL',
  })
})

test('getResourcePolicy returns the JSON the KBS answers (policy ids)', async () => {
  const { fetch } = recorder(() => Response.json(['resource-policy']))
  assert.deepEqual(await createKbsAdminClient({ url: 'http://kbs.test', fetch }).getResourcePolicy(), [
    'resource-policy',
  ])
})

function rejectsWith(code: KbsClientErrorCode, status: number, detail?: string) {
  return (error: unknown) => {
    assert.ok(error instanceof KbsClientError)
    assert.equal(error.code, code)
    assert.equal(error.status, status)
    if (detail !== undefined) assert.equal(error.info?.detail, detail)
    return true
  }
}

test('upstream error bodies are surfaced: admin auth → UNAUTHORIZED, 404, others KBS_ERROR', async () => {
  const reply = (status: number, body: string) => recorder(() => new Response(body, { status })).fetch
  const denied = JSON.stringify(kbsErrorInformation('AdminAuthAccess', 'role not allowed'))
  await assert.rejects(
    createKbsAdminClient({ url: 'http://kbs.test', fetch: reply(401, denied) }).setResourcePolicy(REGO),
    rejectsWith('UNAUTHORIZED', 401, 'role not allowed'),
  )
  const missing = JSON.stringify(kbsErrorInformation('PluginInternalError', 'no such resource'))
  await assert.rejects(
    createKbsAdminClient({ url: 'http://kbs.test', fetch: reply(401, missing) }).deleteResource('a/b/c'),
    rejectsWith('KBS_ERROR', 401, 'no such resource'),
  )
  const noPath = JSON.stringify(kbsErrorInformation('PluginNotFound', 'no plugin'))
  await assert.rejects(
    createKbsAdminClient({ url: 'http://kbs.test', fetch: reply(404, noPath) }).getReferenceValue('x'),
    rejectsWith('RESOURCE_NOT_FOUND', 404, 'no plugin'),
  )
  await assert.rejects(
    createKbsAdminClient({ url: 'http://kbs.test', fetch: reply(500, 'not json') }).getResourcePolicy(),
    (error: unknown) => rejectsWith('KBS_ERROR', 500)(error) && (error as KbsClientError).info === undefined,
  )
  await assert.rejects(
    createKbsAdminClient({ url: 'http://kbs.test', fetch: reply(200, '<html>') }).getResourcePolicy(),
    rejectsWith('PROTOCOL', 200),
  )
})

test('bad resource paths are refused before any request', async () => {
  const { seen, fetch } = recorder()
  await assert.rejects(
    createKbsAdminClient({ url: 'http://kbs.test', fetch }).setResource('a/../b', new Uint8Array()),
    (error: unknown) => error instanceof KbsClientError && error.code === 'INVALID_ARGUMENT',
  )
  assert.equal(seen.length, 0)
})
