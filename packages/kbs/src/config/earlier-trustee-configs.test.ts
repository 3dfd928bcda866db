import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parseKbsConfig } from './parse-kbs-config.ts'

const FIXTURES = new URL('../../fixtures/config/', import.meta.url)

function load(name: string): ReturnType<typeof parseKbsConfig> {
  return parseKbsConfig(readFileSync(new URL(name, FIXTURES), 'utf8'), { fileName: name })
}

describe("earlier Trustee releases' configs load", () => {
  it('docker-compose: attestation_token.type, v0.10 admin key, legacy resource type', () => {
    const { config, warnings } = load('trustee-docker-compose-kbs-config.toml')
    assert.deepEqual(config.admin.identityProviders, [
      { publicKeyUri: '/opt/confidential-containers/kbs/user-keys/public.pub', legacyRole: 'admin' },
    ])
    assert.equal(config.attestationToken.insecureHeaderJwk, true)
    assert.deepEqual(config.attestationService, {
      type: 'coco_as_grpc',
      timeoutMin: 5,
      asAddr: 'http://as:50004',
      poolSize: 100,
    })
    assert.deepEqual(config.plugins, [
      { name: 'nebula_ca', options: { type: 'SelfSigned', config_path: '/etc/self-signed-nebula-ca-config.toml' } },
      {
        name: 'resource',
        storageBackendType: 'LocalFs',
        dirPath: '/opt/confidential-containers/kbs/repository',
        options: {},
      },
    ])
    assert.deepEqual(warnings.map((warning) => warning.key).sort(), [
      'admin.auth_public_key',
      'attestation_token.insecure_key',
      'attestation_token.type',
      'plugins[1].type',
    ])
  })

  it('kubernetes base: admin_backend.Simple personas', () => {
    const { config, warnings } = load('trustee-kubernetes-base-kbs-config.toml')
    assert.deepEqual(config.admin, {
      authorizationMode: 'AuthenticatedAuthorization',
      identityProviders: [{ publicKeyUri: '/kbs/kbs.pem', legacyRole: 'admin' }],
      acls: [{ role: 'admin', allowedEndpoints: '^/kbs/.+$' }],
    })
    assert.ok(warnings.some((warning) => warning.key === 'admin.admin_backend'))
  })

  it('amber: the pre-v0.10 flat layout with [amber_config]', () => {
    const { config, warnings } = load('trustee-kbs-config-amber.toml')
    assert.equal(config.httpServer.insecureHttp, true)
    assert.equal(config.admin.authorizationMode, 'InsecureAllowAll')
    assert.deepEqual(config.attestationService, {
      type: 'intel_ta',
      timeoutMin: 5,
      baseUrl: 'https://amber.com',
      apiKey: 'tBfd5kKX2x9ahbodKV1...',
      certsFile: '/etc/amber/amber-certs.txt',
      policyIds: [],
      allowUnmatchedPolicy: false,
    })
    assert.deepEqual(warnings.map((warning) => warning.key).sort(), ['amber_config', 'insecure_api', 'insecure_http'])
  })

  it('keylime AS (parsed, not served)', () => {
    const { config } = load('trustee-kbs-config-keylime-as.toml')
    assert.deepEqual(config.attestationService, {
      type: 'keylime',
      timeoutMin: 5,
      baseUrl: 'https://0.0.0.0:8881',
      apiVersionMajor: 2,
      apiVersionMinor: 4,
      cvCaPath: '/var/lib/keylime/cv_ca',
    })
  })

  it('test config coco-as-builtin-3: Simple broker, store_type, policy_engine', () => {
    const { config, warnings } = load('trustee-test-coco-as-builtin-3.toml')
    assert.equal(config.admin.authorizationMode, 'InsecureAllowAll')
    assert.equal(config.attestationService.type, 'coco_as_builtin')
    assert.deepEqual(config.attestationService.rvpsConfig, { type: 'BuiltIn', storageType: 'LocalFs' })
    assert.equal(config.legacyResourcePolicyPath, '/opa/confidential-containers/kbs/policy.rego')
    assert.equal(warnings.length, 9)
  })

  it('test config coco-as-grpc-1: current keys, no warnings', () => {
    const { config, warnings } = load('trustee-test-coco-as-grpc-1.toml')
    assert.deepEqual(warnings, [])
    assert.equal(config.attestationService.timeoutMin, 600)
    assert.deepEqual(config.storageBackend, {
      storageType: 'LocalJson',
      backends: { localJson: { fileDirPath: '/opt/confidential-containers/trustee' } },
    })
    assert.equal(config.sessionStorageType, 'LocalJson')
    assert.deepEqual(config.plugins[0], { name: 'sample', options: { item: 'value1' } })
  })
})

describe('more upstream Trustee configs', () => {
  it('auth rate limit (current keys)', () => {
    const { config, warnings } = load('trustee-test-auth-rate-limit.toml')
    assert.deepEqual(warnings, [])
    assert.equal(config.httpServer.authRateLimitPerSecond, 5)
    assert.equal(config.httpServer.authRateLimitBurst, 20)
    assert.equal(config.storageBackend.storageType, 'Memory')
  })

  it('kbs-config.toml with the stray attestation_token.insecure_api and a splitapi plugin', () => {
    const { config, warnings } = load('trustee-kbs-config-splitapi.toml')
    assert.equal(config.attestationToken.insecureHeaderJwk, false)
    assert.ok(warnings.some((warning) => warning.key === 'attestation_token.insecure_api'))
    assert.deepEqual(config.plugins[1], {
      name: 'splitapi',
      options: { type: 'CertManager', plugin_dir: '/opt/confidential-containers/kbs/plugin/splitapi' },
    })
  })

  it('coco-as-builtin-1: remote RVPS', () => {
    const { config } = load('trustee-test-coco-as-builtin-1.toml')
    assert.equal(config.attestationService.type, 'coco_as_builtin')
    assert.deepEqual(config.attestationService.rvpsConfig, { type: 'GrpcRemote', address: 'http://127.0.0.1:50003' })
    assert.equal(config.admin.authorizationMode, 'DenyAll')
  })

  it('coco-as-builtin-2: broker as a type name, attestation_token_config, empty remote_addr', () => {
    const { config, warnings } = load('trustee-test-coco-as-builtin-2.toml')
    assert.equal(config.attestationService.type, 'coco_as_builtin')
    assert.deepEqual(config.attestationService.rvpsConfig, { type: 'BuiltIn', storageType: 'LocalFs' })
    assert.equal(config.attestationService.attestationTokenBroker.durationMin, 5)
    assert.ok(warnings.some((warning) => warning.key === 'attestation_service.attestation_token_broker'))
  })

  it('intel-ta-1 and kubernetes/ita', () => {
    const test = load('trustee-test-intel-ta-1.toml').config
    assert.equal(test.attestationService.type, 'intel_ta')
    assert.equal(test.admin.authorizationMode, 'DenyAll')
    const kubernetes = load('trustee-kubernetes-ita-kbs-config.toml').config
    assert.equal(kubernetes.attestationService.type, 'intel_ta')
    assert.equal(kubernetes.admin.authorizationMode, 'AuthenticatedAuthorization')
  })
})
