import assert from 'node:assert/strict'
import { createHash, createPrivateKey, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { createAttestationService, type AttestationService } from '@carapace/attestation-service'
import { canonicalize, runtimeDataObject, type JsonValue, type WireTeePubKey } from '@carapace/protocol'
import { createRvps } from '@carapace/rvps'
import { createMemoryStorage } from '@carapace/storage'
import { flattenedDecrypt, type FlattenedJWE } from 'jose'
import { createEarVerifier } from '../token/ear-verifier.ts'
import type { AttestationEvaluator } from '../session/attestation-evaluator.ts'
import { createKbsApp, sessionLogId } from './app.ts'

interface JweVector {
  tee_private_key_pkcs8_pem?: string
  tee_private_key_pkcs1_pem?: string
  tee_pubkey_jwk: WireTeePubKey
  kbs_response: { protected: string; encrypted_key: string; iv: string; ciphertext: string; tag: string }
  intermediate?: { cek_hex: string }
  expected_plaintext_utf8: string
}
interface Vectors {
  jwe_ecdh_es_a256kw_p256: JweVector
  jwe_ecdh_es_a256kw_p521: JweVector
  jwe_rsa_oaep_256: JweVector
  runtime_data_binding: {
    challenge: { nonce: string }
    auth_request_body: unknown
    attest_request_body: unknown
  }
}

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/vectors/${name}`, import.meta.url), 'utf8')
const vectors = JSON.parse(fixture('kbs-jwe-and-runtime-data.json')) as Vectors
const binding = vectors.runtime_data_binding
const CEK = Buffer.from(vectors.jwe_ecdh_es_a256kw_p256.intermediate?.cek_hex ?? '', 'hex')
const IV = Buffer.from(vectors.jwe_ecdh_es_a256kw_p256.kbs_response.iv, 'base64url')

function evaluatorOf(service: AttestationService): AttestationEvaluator {
  return {
    evaluate: async (request) => {
      const { token, explanation } = await service.evaluate(
        request.requests.map((r) => ({
          tee: r.tee,
          evidence: r.evidence,
          runtimeData: { structured: r.runtimeData as JsonValue },
          hashAlgorithm: r.runtimeDataHash,
        })),
        request.policyIds,
      )
      return { token, explanation }
    },
  }
}

/**
 * A KBS with the built-in AS (sample TEE allowed), the EAR verifier, upstream's kbs_protocol test
 * policy and `default/key/testfile` = the vectors' plaintext. Random bytes come from a queue the
 * test fills (nonce, session id, CEK, IV), so the responses can be compared with the vectors.
 */
async function vectorKbs(options: { readonly gateSampleTee?: boolean } = {}) {
  const storage = createMemoryStorage()
  const rvps = createRvps({ storage })
  const gate = options.gateSampleTee ?? false
  const service = createAttestationService({ storage, rvps, insecureAllowSampleTee: !gate })
  const queue: Uint8Array[] = []
  const logged: { level: string; message: string; fields: Readonly<Record<string, string | number>> }[] = []
  const app = createKbsApp({
    logger: { log: (level, message, fields) => logged.push({ level, message, fields }) },
    storage,
    admin: { authorize: () => Promise.resolve() },
    tokenVerifier: createEarVerifier({ trustedCertsPem: [], insecureHeaderJwk: true }),
    attestation: evaluatorOf(service),
    random: (size) => {
      const next = queue.shift()
      if (next !== undefined) assert.equal(next.length, size)
      return next ?? new Uint8Array(size).fill(7)
    },
  })
  if (!gate) {
    const policy = Buffer.from(fixture('kbs-protocol-test-policy.rego')).toString('base64url')
    assert.equal((await app.request('/kbs/v0/resource-policy', post({ policy }))).status, 200)
  }
  const secret = vectors.jwe_ecdh_es_a256kw_p256.expected_plaintext_utf8
  assert.equal((await app.request('/kbs/v0/resource/default/key/testfile', post(secret))).status, 200)
  return { app, queue, logged }
}

function post(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) }
}

/** /auth with the challenge nonce of the vectors, then /attest with `attestBody`; the session cookie. */
async function handshake(kbs: Awaited<ReturnType<typeof vectorKbs>>, attestBody: string): Promise<string> {
  kbs.queue.push(Buffer.from(binding.challenge.nonce, 'base64'))
  const authed = await kbs.app.request('/kbs/v0/auth', post(JSON.stringify(binding.auth_request_body)))
  assert.equal(authed.status, 200)
  assert.deepEqual(await authed.json(), binding.challenge)
  const cookie = (authed.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const attested = await kbs.app.request('/kbs/v0/attest', post(attestBody, { cookie }))
  assert.equal(attested.status, 200, await attested.clone().text())
  return cookie
}

async function fetchResource(kbs: Awaited<ReturnType<typeof vectorKbs>>, cookie: string): Promise<FlattenedJWE> {
  kbs.queue.push(CEK, IV)
  const response = await kbs.app.request('/kbs/v0/resource/default/key/testfile', { headers: { cookie } })
  assert.equal(response.status, 200, await response.clone().text())
  return (await response.json()) as FlattenedJWE
}

function privateKeyOf(vector: JweVector): KeyObject {
  return createPrivateKey(vector.tee_private_key_pkcs8_pem ?? vector.tee_private_key_pkcs1_pem ?? '')
}

/** An /attest body for another TEE key: sample evidence bound to it as guest-components binds it. */
function attestBodyFor(teePubKey: WireTeePubKey): string {
  const runtime = runtimeDataObject({ nonce: binding.challenge.nonce, teePubKey, additionalEvidence: '' })
  const reportData = createHash('sha384').update(canonicalize(runtime)).digest('base64')
  return JSON.stringify({
    'init-data': null,
    'runtime-data': { nonce: binding.challenge.nonce, 'tee-pubkey': teePubKey },
    'tee-evidence': { primary_evidence: { svn: '1', report_data: reportData }, additional_evidence: '' },
  })
}

describe('the KBS against the derived guest-components vectors', () => {
  it('accepts the recorded /auth and /attest bodies byte for byte and releases a JWE that jose decrypts', async () => {
    const kbs = await vectorKbs()
    const cookie = await handshake(kbs, JSON.stringify(binding.attest_request_body))
    const vector = vectors.jwe_ecdh_es_a256kw_p256
    const jwe = await fetchResource(kbs, cookie)
    assert.deepEqual(Object.keys(jwe).sort(), ['ciphertext', 'encrypted_key', 'iv', 'protected', 'tag'])
    const { plaintext, protectedHeader } = await flattenedDecrypt(jwe, privateKeyOf(vector))
    assert.equal(Buffer.from(plaintext).toString('utf8'), vector.expected_plaintext_utf8)
    assert.deepEqual(Object.keys(protectedHeader ?? {}), ['alg', 'enc', 'epk'])
    // Same CEK, IV and plaintext as the recorded Trustee response: the same ciphertext.
    assert.equal(jwe.iv, vector.kbs_response.iv)
    assert.equal(jwe.ciphertext, vector.kbs_response.ciphertext)
  })

  it('the binding is checked: the recorded evidence with another tee-pubkey is refused', async () => {
    const kbs = await vectorKbs()
    kbs.queue.push(Buffer.from(binding.challenge.nonce, 'base64'))
    const authed = await kbs.app.request('/kbs/v0/auth', post(binding.auth_request_body))
    const cookie = (authed.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
    const recorded = binding.attest_request_body as { 'runtime-data': Record<string, unknown> }
    const swapped = {
      ...recorded,
      'runtime-data': { ...recorded['runtime-data'], 'tee-pubkey': vectors.jwe_ecdh_es_a256kw_p521.tee_pubkey_jwk },
    }
    const attested = await kbs.app.request('/kbs/v0/attest', post(swapped, { cookie }))
    assert.equal(attested.status, 401)
    assert.equal(
      ((await attested.json()) as { type: string }).type,
      'https://github.com/confidential-containers/kbs/errors/AttestationError',
    )
  })

  it('P-521 and RSA-OAEP-256 TEE keys: jose decrypts; the RSA response is the recorded one but for the OAEP padding', async () => {
    for (const vector of [vectors.jwe_ecdh_es_a256kw_p521, vectors.jwe_rsa_oaep_256]) {
      const kbs = await vectorKbs()
      const cookie = await handshake(kbs, attestBodyFor(vector.tee_pubkey_jwk))
      const jwe = await fetchResource(kbs, cookie)
      const { plaintext } = await flattenedDecrypt(jwe, privateKeyOf(vector))
      assert.equal(Buffer.from(plaintext).toString('utf8'), vector.expected_plaintext_utf8)
      assert.equal(jwe.ciphertext, vector.kbs_response.ciphertext)
      if (vector.tee_pubkey_jwk.kty === 'RSA') {
        assert.equal(jwe.protected, vector.kbs_response.protected)
        assert.equal(jwe.tag, vector.kbs_response.tag)
      }
    }
  })

  it('the recorded Trustee responses decrypt with jose and the given keys (an implementation independent of ours)', async () => {
    for (const vector of [vectors.jwe_ecdh_es_a256kw_p256, vectors.jwe_ecdh_es_a256kw_p521, vectors.jwe_rsa_oaep_256]) {
      const { plaintext } = await flattenedDecrypt(vector.kbs_response, privateKeyOf(vector))
      assert.equal(Buffer.from(plaintext).toString('utf8'), vector.expected_plaintext_utf8)
    }
  })

  it('the sample TEE under the default policy: denied, and the logs say why', async () => {
    const kbs = await vectorKbs({ gateSampleTee: true })
    const cookie = await handshake(kbs, JSON.stringify(binding.attest_request_body))
    const appraised = kbs.logged.find((line) => line.message === 'attestation appraised')
    assert.equal(appraised?.level, 'info')
    assert.equal(appraised.fields['session'], sessionLogId(cookie.slice('kbs-session-id='.length)))
    const summary = String(appraised.fields['summary'])
    assert.match(summary, /^cpu0: contraindicated by default_cpu; hardware=97 \(sample TEE gate\)/)
    assert.match(
      summary,
      /executables=33 \(default; policy\.rego:\d+ `input\.sample\.launch_digest in query_reference_value\("launch_digest"\)`/,
    )
    assert.match(summary, /reference values: .*svn=absent/)
    const denied = await kbs.app.request('/kbs/v0/resource/default/key/testfile', {
      headers: { cookie, 'x-request-id': 'why-denied' },
    })
    assert.equal(denied.status, 401)
    assert.deepEqual(await denied.json(), {
      type: 'https://github.com/confidential-containers/kbs/errors/PolicyDeny',
      detail: 'Resource policy denied the request',
    })
    const line = kbs.logged.find((l) => l.message === 'request failed' && l.fields['requestId'] === 'why-denied')
    assert.ok(String(line?.fields['explanation']).includes('input.submods.cpu0["ear.status"] = "contraindicated"'))
  })
})
