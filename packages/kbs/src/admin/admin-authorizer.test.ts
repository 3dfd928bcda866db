import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { describe, it } from 'node:test'
import { SignJWT } from 'jose'
import { createAdminAuthorizer } from './admin-authorizer.ts'

const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString()
const readPublicKey = (): Promise<string> => Promise.resolve(pem)

function token(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256' }).setExpirationTime('1h').sign(keys.privateKey)
}

describe('createAdminAuthorizer', () => {
  it('InsecureAllowAll lets anything through, DenyAll nothing', async () => {
    const allow = await createAdminAuthorizer({
      authorizationMode: 'InsecureAllowAll',
      identityProviders: [],
      acls: [],
    })
    await allow.authorize({ pathAndQuery: '/kbs/v0/resource-policy', authorization: undefined })
    const deny = await createAdminAuthorizer({ authorizationMode: 'DenyAll', identityProviders: [], acls: [] })
    await assert.rejects(deny.authorize({ pathAndQuery: '/kbs/v0/resource-policy', authorization: undefined }), {
      code: 'ADMIN_AUTH_ACCESS',
    })
  })

  it('matches the role ACL against path and query; legacy providers supply the role', async () => {
    const authorizer = await createAdminAuthorizer(
      {
        authorizationMode: 'AuthenticatedAuthorization',
        identityProviders: [{ publicKeyUri: 'k.pem', legacyRole: 'admin' }],
        acls: [{ role: 'admin', allowedEndpoints: '^/kbs/v0/resource/.+$' }],
      },
      { readPublicKey },
    )
    const authorization = `Bearer ${await token({})}`
    await authorizer.authorize({ pathAndQuery: '/kbs/v0/resource/a/b/c?x=1', authorization })
    await assert.rejects(authorizer.authorize({ pathAndQuery: '/kbs/v0/resource-policy', authorization }), {
      code: 'ADMIN_AUTH_ACCESS',
    })
    const withRole = `Bearer ${await token({ role: 'reader' })}`
    await assert.rejects(authorizer.authorize({ pathAndQuery: '/kbs/v0/resource/a/b/c', authorization: withRole }), {
      code: 'ADMIN_AUTH_ACCESS',
    })
  })

  it('checks issuer and audience when configured; refuses ACLs not anchored at ^/kbs…$', async () => {
    const authorizer = await createAdminAuthorizer(
      {
        authorizationMode: 'AuthenticatedAuthorization',
        identityProviders: [{ publicKeyUri: 'k.pem', issuer: 'me', audience: 'kbs' }],
        acls: [{ role: 'admin', allowedEndpoints: '^/kbs/.+$' }],
      },
      { readPublicKey },
    )
    const request = { pathAndQuery: '/kbs/v0/resource-policy' }
    await authorizer.authorize({
      ...request,
      authorization: `Bearer ${await token({ role: 'admin', iss: 'me', aud: ['kbs'] })}`,
    })
    await assert.rejects(
      authorizer.authorize({
        ...request,
        authorization: `Bearer ${await token({ role: 'admin', iss: 'other', aud: 'kbs' })}`,
      }),
      { code: 'ADMIN_AUTH_ACCESS' },
    )
    await assert.rejects(
      createAdminAuthorizer(
        {
          authorizationMode: 'AuthenticatedAuthorization',
          identityProviders: [],
          acls: [{ role: 'admin', allowedEndpoints: '.*' }],
        },
        { readPublicKey },
      ),
      { code: 'ADMIN_AUTH_INITIALIZATION' },
    )
  })
})
