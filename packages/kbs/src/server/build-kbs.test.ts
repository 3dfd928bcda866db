import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { SignJWT } from 'jose'
import { parseKbsConfig } from '../config/index.ts'
import { buildKbs } from './build-kbs.ts'
import { capturingLogger, tempDir } from './server-test-support.ts'
import { createTokenVerifier } from './token-keys.ts'

const temp = tempDir('carapace-build-')
after(() => {
  temp.remove()
})

function memoryConfig(extra = '') {
  return parseKbsConfig(
    `${extra}[http_server]\ninsecure_http = true\n[admin]\ntype = "InsecureAllowAll"\n[storage_backend]\nstorage_type = "Memory"\n`,
    { fileName: 'memory.toml' },
  )
}

describe('buildKbs', () => {
  it('imports [policy_engine] policy_path into an empty store, once', async () => {
    const policyPath = join(temp.dir, 'policy.rego')
    const policy = 'package policy\n\ndefault allow := true\n'
    writeFileSync(policyPath, policy)
    const { config, warnings } = memoryConfig(`[policy_engine]\npolicy_path = "${policyPath}"\n`)
    const logger = capturingLogger()
    const kbs = await buildKbs({ config, configWarnings: warnings, logger })
    try {
      const stored = await kbs.storage.get('kbs', 'resource-policy.rego')
      assert.equal(Buffer.from(stored ?? []).toString('utf8'), policy)
      assert.ok(logger.lines.some((l) => l.level === 'warn' && l.fields['key'] === 'policy_engine'))
      const health = await kbs.app.request('/healthz')
      assert.equal(health.status, 200)
    } finally {
      await kbs.close()
    }
  })

  it('warns loudly at start about InsecureAllowAll and insecure_header_jwk', async () => {
    const { config } = memoryConfig('[attestation_token]\ninsecure_header_jwk = true\n')
    const logger = capturingLogger()
    const kbs = await buildKbs({ config, logger })
    try {
      const insecure = logger.lines.filter((l) => l.level === 'warn' && /^INSECURE:/.test(l.message))
      assert.equal(insecure.length, 2)
      assert.ok(insecure.some((l) => l.message.includes('authorization_mode = "InsecureAllowAll"')))
      assert.ok(insecure.some((l) => l.message.includes('insecure_header_jwk = true')))
    } finally {
      await kbs.close()
    }
  })

  it('refuses a legacy policy that does not compile', async () => {
    const policyPath = join(temp.dir, 'broken.rego')
    writeFileSync(policyPath, 'package policy\nallow if {\n')
    const { config } = memoryConfig(`[policy_engine]\npolicy_path = "${policyPath}"\n`)
    await assert.rejects(buildKbs({ config, logger: capturingLogger() }), { code: 'POLICY_ENGINE' })
  })

  it('serves the reference-value admin API from the built-in RVPS', async () => {
    const { config } = memoryConfig()
    const kbs = await buildKbs({ config, logger: capturingLogger() })
    try {
      const message = { version: '0.1.0', type: 'sample', payload: Buffer.from('{"svn":["3"]}').toString('base64') }
      const set = await kbs.app.request('/kbs/v0/reference-value', { method: 'POST', body: JSON.stringify(message) })
      assert.equal(set.status, 200)
      const got = await kbs.app.request('/kbs/v0/reference-value/svn')
      assert.deepEqual(await got.json(), ['3'])
      assert.deepEqual(await kbs.rvps.query('svn'), ['3'])
      const stale = { ...message, payload: Buffer.from('{"old":["1"]}').toString('base64') }
      await kbs.rvps.register(stale, { expiration: new Date(Date.now() - 60_000) })
      const listed = await kbs.app.request('/kbs/v0/reference-value')
      assert.equal(listed.status, 200)
      assert.match(listed.headers.get('content-type') ?? '', /^application\/json/)
      assert.deepEqual(await listed.json(), { svn: ['3'] }, 'the expired value is not listed')
      const old = await kbs.app.request('/kbs/v0/reference-value/old')
      assert.equal(old.status, 401)
    } finally {
      await kbs.close()
    }
  })
})

describe('createTokenVerifier', () => {
  const own = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const ownJwk = own.publicKey.export({ format: 'jwk' })
  const ownKey = { kty: 'EC', crv: 'P-256', alg: 'ES256', x: String(ownJwk.x), y: String(ownJwk.y) } as const
  const now = () => new Date()
  const config = { trustedCertsPaths: [], trustedJwkSets: [], extraTeekeyPaths: [], insecureHeaderJwk: false }
  const sign = (key: typeof own) =>
    new SignJWT({ submods: {} })
      .setProtectedHeader({
        alg: 'ES256',
        typ: 'JWT',
        jwk: { ...key.publicKey.export({ format: 'jwk' }), alg: 'ES256' },
      })
      .setExpirationTime('5m')
      .sign(key.privateKey)

  it('verifies tokens of the built-in attestation service without any trusted certificate', async () => {
    const verifier = await createTokenVerifier(config, ownKey, now)
    assert.deepEqual((await verifier.verify(await sign(own)))['submods'], {})
  })

  it('rejects a token from another key when nothing else is trusted, and a missing trusted cert file', async () => {
    const verifier = await createTokenVerifier(config, ownKey, now)
    const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    await assert.rejects(verifier.verify(await sign(foreign)), {
      code: 'TOKEN_VERIFIER',
      message: /not signed by this KBS/,
    })
    await assert.rejects(
      createTokenVerifier({ ...config, trustedCertsPaths: [join(temp.dir, 'none.pem')] }, ownKey, now),
      { code: 'KEY_MATERIAL', message: /attestation_token\.trusted_certs_paths/ },
    )
  })
})
