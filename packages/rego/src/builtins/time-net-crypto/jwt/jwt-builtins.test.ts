import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { RegoObject, RegoSet, type Value } from '../../../value/value.ts'
import { chargingContext, expectLimitError } from '../../bounds-test-support.ts'
import { PUBLIC_KEY_UNITS } from '../../work.ts'
import { call, expectError, expectResult, testContext } from '../test-calls.ts'

const obj = (o: Record<string, Value>): RegoObject => RegoObject.from(Object.entries(o))

function jwkOf(key: KeyObject, extra: Record<string, Value> = {}): RegoObject {
  const j = key.export({ format: 'jwk' }) as Record<string, string>
  return obj({ ...j, ...extra })
}

function publicPem(key: KeyObject): string {
  return key.export({ format: 'pem', type: 'spki' }) as string
}

// RFC 7515 appendix A.1's symmetric key.
const OCT = obj({
  kty: 'oct',
  k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow',
})
const OCT_TEXT =
  '{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}'

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
const ec256 = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const ec384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
const ec521 = generateKeyPairSync('ec', { namedCurve: 'P-521' })
const ed = generateKeyPairSync('ed25519')

function sign(alg: string, priv: KeyObject, claims: Record<string, Value> = { iss: 'opa' }): string {
  const token = call('io.jwt.encode_sign', [obj({ alg, typ: 'JWT' }), obj(claims), jwkOf(priv)])
  assert.equal(typeof token, 'string')
  return token as string
}

/** A fresh public key of the same type and curve as `pub`. */
function otherKeyLike(pub: KeyObject): KeyObject {
  if (pub.asymmetricKeyType === 'ed25519') return generateKeyPairSync('ed25519').publicKey
  const namedCurve = pub.asymmetricKeyDetails?.namedCurve ?? 'prime256v1'
  return generateKeyPairSync('ec', { namedCurve }).publicKey
}

describe('io.jwt.encode_sign and encode_sign_raw', () => {
  it('produce the RFC 7515 HS256 example', () => {
    expectResult(
      'io.jwt.encode_sign_raw',
      [
        '{"typ":"JWT",\r\n "alg":"HS256"}',
        '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}',
        OCT_TEXT,
      ],
      'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    )
    expectResult(
      'io.jwt.encode_sign',
      [obj({ alg: 'HS256', typ: 'JWT' }), obj({}), OCT],
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.6cvao8lnOu6FAdK68jQFcDMXOmaWNwWiYhCgijd-AD8',
    )
  })

  it('marshal like Go: sorted keys, sets as arrays, HTML escapes', () => {
    const token = call('io.jwt.encode_sign', [
      obj({ typ: 'JWT', alg: 'HS256' }),
      obj({ b: RegoSet.from(['y', 'x']), a: '<&>' }),
      OCT,
    ]) as string
    const [header, payload] = token.split('.') as [string, string]
    assert.equal(Buffer.from(header, 'base64url').toString(), '{"alg":"HS256","typ":"JWT"}')
    assert.equal(Buffer.from(payload, 'base64url').toString(), '{"a":"\\u003c\\u0026\\u003e","b":["x","y"]}')
  })

  it('reject bad headers and payloads with OPA messages', () => {
    const raw = (h: string, p: string) => ['io.jwt.encode_sign_raw', [h, p, OCT_TEXT]] as const
    expectError(...raw('{"alg":"dummy"}', '{}'), 'eval_builtin_error', 'unknown signature algorithm')
    expectError(...raw('{}', '{}'), 'eval_builtin_error', 'failed to create signer: unsupported signature algorithm ')
    expectError(...raw('', '{}'), 'eval_builtin_error', 'unexpected end of JSON input')
    expectError(...raw('e', '{}'), 'eval_builtin_error', "invalid character 'e' looking for beginning of value")
    expectError(...raw('{"typ":"JWT","alg":"HS256"}', 'e'), 'eval_builtin_error', 'type is JWT but payload is not JSON')
    const input = `${Buffer.from('{"typ":"text/plain","alg":"HS256"}').toString('base64url')}.ZQ`
    const mac = createHmac('sha256', Buffer.from(OCT.get('k') as string, 'base64url'))
      .update(input)
      .digest('base64url')
    expectResult('io.jwt.encode_sign_raw', ['{"typ":"text/plain","alg":"HS256"}', 'e', OCT_TEXT], `${input}.${mac}`)
  })
})

describe('io.jwt.verify_*', () => {
  const cases: [string, KeyObject, KeyObject][] = [
    ['RS256', rsa.privateKey, rsa.publicKey],
    ['RS512', rsa.privateKey, rsa.publicKey],
    ['PS256', rsa.privateKey, rsa.publicKey],
    ['PS384', rsa.privateKey, rsa.publicKey],
    ['ES256', ec256.privateKey, ec256.publicKey],
    ['ES384', ec384.privateKey, ec384.publicKey],
    ['ES512', ec521.privateKey, ec521.publicKey],
    ['EdDSA', ed.privateKey, ed.publicKey],
  ]
  for (const [alg, priv, pub] of cases) {
    it(`${alg} verifies with a PEM key and a JWK, and fails with another key`, () => {
      const token = sign(alg, priv)
      const name = `io.jwt.verify_${alg.toLowerCase()}`
      expectResult(name, [token, publicPem(pub)], true)
      expectResult(name, [token, JSON.stringify({ keys: [pub.export({ format: 'jwk' })] })], true)
      const other = pub.asymmetricKeyType === 'rsa' ? ec256.publicKey : otherKeyLike(pub)
      expectResult(name, [token, publicPem(other)], false)
    })
  }

  it('HS256/384/512 verify with the secret', () => {
    const secret = obj({ kty: 'oct', k: Buffer.from('s3cret').toString('base64url') })
    for (const alg of ['HS256', 'HS384', 'HS512']) {
      const token = call('io.jwt.encode_sign', [obj({ alg }), obj({ sub: '0' }), secret]) as string
      expectResult(`io.jwt.verify_${alg.toLowerCase()}`, [token, 's3cret'], true)
      expectResult(`io.jwt.verify_${alg.toLowerCase()}`, [token, 'wrong'], false)
    }
  })

  it('uses the key whose kid matches, else keys of the header alg', () => {
    const token = call('io.jwt.encode_sign', [
      obj({ alg: 'RS256', kid: 'k2' }),
      obj({}),
      jwkOf(rsa.privateKey),
    ]) as string
    const pub = rsa.publicKey.export({ format: 'jwk' })
    const set = (keys: object[]) => JSON.stringify({ keys })
    expectResult(
      'io.jwt.verify_rs256',
      [
        token,
        set([
          { ...ec256.publicKey.export({ format: 'jwk' }), kid: 'k1' },
          { ...pub, kid: 'k2' },
        ]),
      ],
      true,
    )
    expectResult('io.jwt.verify_rs256', [token, set([{ ...pub, kid: 'k1', alg: 'RS384' }])], false)
  })

  it('reports malformed tokens and keys', () => {
    expectError(
      'io.jwt.verify_hs256',
      ['a.b', 'secret'],
      'eval_builtin_error',
      'encoded JWT must have 3 sections, found 2',
    )
    expectError(
      'io.jwt.verify_rs256',
      ['a.b.c', '-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n'],
      'eval_builtin_error',
      'failed to extract a Key from the PEM certificate',
    )
    expectError(
      'io.jwt.verify_rs256',
      ['a.b.c', publicPem(rsa.publicKey) + 'x'],
      'eval_builtin_error',
      'extra data after a PEM certificate block',
    )
    expectError(
      'io.jwt.verify_rs256',
      ['a.b.c', '{"kty":"bogus"}'],
      'eval_builtin_error',
      /^failed to parse a JWK key \(set\): /,
    )
  })
})

describe('io.jwt.decode', () => {
  it('returns header, claims and the hex signature', () => {
    expectResult(
      'io.jwt.decode',
      [
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY',
      ],
      [
        obj({ alg: 'HS256', typ: 'JWT' }),
        obj({ sub: '0', iss: 'opa' }),
        '5e65682e81c8de9c4cb4c3bf59138d3122731940cff690e3cbc269d3fb5d4576',
      ],
    )
  })

  it('fails like OPA on bad structure', () => {
    expectError('io.jwt.decode', ['abc'], 'eval_builtin_error', 'encoded JWT had no period separators')
    expectError(
      'io.jwt.decode',
      ['eyJhbGciOiJIU^%zI1NiI+sInR5cCI6IkpXVCJ9.e30.e30'],
      'eval_builtin_error',
      'JWT header had invalid encoding: illegal base64 data at input byte 13',
    )
    expectError(
      'io.jwt.decode',
      [`${Buffer.from('{"enc":"x"}').toString('base64url')}.e30.e30`],
      'eval_builtin_error',
      'JWT is a JWE object, which is not supported',
    )
    expectError(
      'io.jwt.decode',
      [`${Buffer.from('[1]').toString('base64url')}.e30.e30`],
      'eval_builtin_error',
      'bad JWT header: decoded JSON type was not an Object',
    )
  })
})

describe('io.jwt.decode_verify', () => {
  const now = 1_700_000_000n * 1_000_000_000n
  const ctx = testContext(now)
  const dv = (token: string, constraints: Record<string, Value>) =>
    call('io.jwt.decode_verify', [token, obj(constraints)], ctx)

  it('verifies signature and registered claims', () => {
    const token = sign('ES256', ec256.privateKey, {
      iss: 'opa',
      aud: ['a', 'b'],
      exp: 1_700_000_100,
      nbf: 1_699_999_000,
    })
    const cert = publicPem(ec256.publicKey)
    const ok = dv(token, { cert, iss: 'opa', aud: 'b' })
    assert.ok(Array.isArray(ok) && ok[0] === true)
    assert.equal((ok[2] as RegoObject).get('iss'), 'opa')
    const unverified = [false, new RegoObject(), new RegoObject()]
    assert.deepEqual(dv(token, { cert, iss: 'other' }), unverified)
    assert.deepEqual(dv(token, { cert }), unverified) // an aud claim needs an aud constraint
    assert.deepEqual(dv(token, { cert, aud: 'a', alg: 'RS256' }), unverified)
    assert.deepEqual(dv(token, { cert, aud: 'a', time: 1_700_000_100 * 1e9 }), unverified)
    assert.deepEqual(dv(token, { cert, aud: 'a', time: 1_699_998_000 * 1e9 }), unverified)
  })

  it('checks secrets and rejects bad constraints', () => {
    const token = call('io.jwt.encode_sign', [
      obj({ alg: 'HS256' }),
      obj({ exp: 'soon' }),
      obj({ kty: 'oct', k: 'NDI' }),
    ]) as string
    expectError(
      'io.jwt.decode_verify',
      [token, obj({ secret: '42' })],
      'eval_builtin_error',
      'exp value must be a number',
      ctx,
    )
    expectError('io.jwt.decode_verify', [token, obj({})], 'eval_builtin_error', 'no key constraint', ctx)
    expectError(
      'io.jwt.decode_verify',
      [token, obj({ secret: '42', cert: publicPem(rsa.publicKey) })],
      'eval_builtin_error',
      'duplicate key constraints',
      ctx,
    )
    expectError(
      'io.jwt.decode_verify',
      [token, obj({ secret: '42', foo: 1 })],
      'eval_builtin_error',
      'unknown token validation constraint: foo',
      ctx,
    )
    expectError('io.jwt.decode_verify', [token, 'x'], 'eval_type_error', 'operand 2 must be object but got string', ctx)
    const rsToken = sign('RS256', rsa.privateKey)
    expectError(
      'io.jwt.decode_verify',
      [rsToken, obj({ secret: '42' })],
      'eval_builtin_error',
      'incorrect public key type',
      ctx,
    )
  })
})

describe('JWT work bounds', () => {
  it('charge each key tried and the key text parsed', () => {
    const token = call('io.jwt.encode_sign', [obj({ alg: 'RS256' }), obj({}), jwkOf(rsa.privateKey)]) as string
    const others = Array.from({ length: 3 }, () => generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)
    const keys = JSON.stringify({ keys: [...others, rsa.publicKey].map((k) => k.export({ format: 'jwk' })) })
    const ctx = chargingContext(1e9)
    assert.equal(call('io.jwt.verify_rs256', [token, keys], ctx), true)
    assert.ok(ctx.charged() >= 4 * PUBLIC_KEY_UNITS + keys.length, String(ctx.charged()))
    const constraints = obj({ cert: keys, time: 0 })
    const decodeCtx = chargingContext(1e9)
    assert.equal((call('io.jwt.decode_verify', [token, constraints], decodeCtx) as Value[])[0], true)
    assert.ok(decodeCtx.charged() >= 4 * PUBLIC_KEY_UNITS, String(decodeCtx.charged()))
    expectLimitError('p := io.jwt.verify_rs256(input[0], input[1])', {
      input: [token, JSON.stringify({ keys: Array.from({ length: 2_000 }, () => ({ kty: 'oct', k: 'AAAA' })) })],
    })
  })
})
