import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { createSampleAttester } from '@carapace/attester'
import { teeKeyPairFromPem } from '@carapace/protocol'
import { createKbsClient } from './kbs-client.ts'

interface Vector {
  jwe_ecdh_es_a256kw_p256: { tee_private_key_pkcs8_pem: string; kbs_response: unknown }
  runtime_data_binding: { challenge: unknown; auth_request_body: unknown; attest_request_body: unknown }
}

const vector = JSON.parse(
  readFileSync(new URL('../fixtures/derived/kbs-jwe-and-runtime-data.json', import.meta.url), 'utf8'),
) as Vector

test('derived vector: /auth and /attest bodies are byte-exact, the Trustee JWE decrypts', async () => {
  const jwe = vector.jwe_ecdh_es_a256kw_p256
  const binding = vector.runtime_data_binding
  const bodies: string[] = []
  const token = `e30.${Buffer.from(JSON.stringify({ exp: 4_000_000_000 })).toString('base64url')}.c2ln`
  const respond = (input: string | URL | Request, init?: RequestInit): Response => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    bodies.push(typeof init?.body === 'string' ? init.body : '')
    if (url.endsWith('/kbs/v0/auth')) {
      return Response.json(binding.challenge, { headers: { 'set-cookie': 'kbs-session-id=vector' } })
    }
    assert.equal(new Headers(init?.headers).get('cookie'), 'kbs-session-id=vector')
    if (url.endsWith('/kbs/v0/attest')) return Response.json({ token })
    assert.equal(url, 'http://kbs.test/kbs/v0/resource/default/key/1')
    return Response.json(jwe.kbs_response)
  }
  const fetch = (input: string | URL | Request, init?: RequestInit) => Promise.resolve(respond(input, init))
  const client = createKbsClient({
    url: 'http://kbs.test',
    attester: createSampleAttester(),
    teeKey: teeKeyPairFromPem(jwe.tee_private_key_pkcs8_pem),
    fetch,
  })
  const plaintext = await client.getResource('default/key/1')
  assert.equal(Buffer.from(plaintext).toString('utf8'), 'test content')
  assert.equal(bodies[0], JSON.stringify(binding.auth_request_body))
  assert.equal(bodies[1], JSON.stringify(binding.attest_request_body))
  assert.equal(bodies.length, 3)
})
