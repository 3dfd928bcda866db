import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { defaultKbsConfig } from './default-kbs-config.ts'

describe('defaultKbsConfig', () => {
  it('safe defaults with every generated file under the data directory', () => {
    const config = defaultKbsConfig({ dataDir: '/var/lib/carapace' })
    assert.equal(config.httpServer.insecureHttp, false)
    assert.equal(config.httpServer.generateCertificateIfMissing, true)
    assert.equal(config.httpServer.privateKey, '/var/lib/carapace/tls/server-key.pem')
    assert.equal(config.httpServer.certificate, '/var/lib/carapace/tls/server-cert.pem')
    assert.equal(config.admin.authorizationMode, 'AuthenticatedAuthorization')
    assert.deepEqual(config.admin.generatedKey, {
      privateKeyPath: '/var/lib/carapace/admin/admin-key.pem',
      publicKeyPath: '/var/lib/carapace/admin/admin-key.pub.pem',
    })
    assert.deepEqual(config.admin.identityProviders, [{ publicKeyUri: '/var/lib/carapace/admin/admin-key.pub.pem' }])
    assert.deepEqual(config.admin.acls, [{ role: 'admin', allowedEndpoints: '^/kbs/.+$' }])
    assert.equal(config.attestationToken.insecureHeaderJwk, false)
    assert.deepEqual(config.attestationToken.trustedCertsPaths, ['/var/lib/carapace/token/token-cert.pem'])
    assert.equal(config.attestationService.type, 'coco_as_builtin')
    assert.deepEqual(config.attestationService.attestationTokenBroker.signer, {
      keyPath: '/var/lib/carapace/token/token-key.pem',
      certPath: '/var/lib/carapace/token/token-cert.pem',
      generateIfMissing: true,
    })
    assert.deepEqual(config.storageBackend, {
      storageType: 'LocalFs',
      backends: { localFs: { dirPath: '/var/lib/carapace/storage' } },
    })
    assert.equal(config.sessionStorageType, 'LocalFs')
    assert.deepEqual(config.plugins, [{ name: 'resource', storageBackendType: 'kvstorage', options: {} }])
  })
})
