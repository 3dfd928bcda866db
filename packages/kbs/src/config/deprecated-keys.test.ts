import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseKbsConfig } from './parse-kbs-config.ts'

const FILE = 'old-kbs.toml'

function parse(text: string): ReturnType<typeof parseKbsConfig> {
  return parseKbsConfig(text, { fileName: FILE })
}

function warnedKeys(text: string): string[] {
  const { warnings } = parse(text)
  for (const warning of warnings) {
    assert.equal(warning.file, FILE)
    assert.ok(warning.message.startsWith(`${FILE}: ${warning.key}: `), warning.message)
  }
  return warnings.map((warning) => warning.key)
}

describe('each deprecated key is accepted with a warning naming it and the file', () => {
  const cases: [string, string][] = [
    ['[attestation_token]\nattestation_token_type = "CoCo"', 'attestation_token.attestation_token_type'],
    ['[attestation_token]\ninsecure_key = true', 'attestation_token.insecure_key'],
    ['[admin]\nauth_public_key = "/k.pub"', 'admin.auth_public_key'],
    ['[admin]\ninsecure_api = false', 'admin.insecure_api'],
    ['[admin]\ntype = "InsecureAllowAll"', 'admin.type'],
    ['[admin]\ntype = "Simple"\npersonas = [{ id = "a", public_key_path = "/a.pub" }]', 'admin.personas'],
    ['[attestation_service]\nwork_dir = "/w"', 'attestation_service.work_dir'],
    ['[attestation_service]\npolicy_engine = "opa"', 'attestation_service.policy_engine'],
    [
      '[attestation_service.attestation_token_config]\nduration_min = 3',
      'attestation_service.attestation_token_config',
    ],
    [
      '[attestation_service.attestation_token_broker]\ntype = "Simple"',
      'attestation_service.attestation_token_broker.type',
    ],
    [
      '[attestation_service.attestation_token_broker]\npolicy_dir = "/p"',
      'attestation_service.attestation_token_broker.policy_dir',
    ],
    ['[attestation_service]\nattestation_token_broker = "Simple"', 'attestation_service.attestation_token_broker'],
    ['[attestation_service.rvps_config.storage]\ntype = "LocalFs"', 'attestation_service.rvps_config.storage'],
    ['[attestation_service.rvps_config]\nstore_type = "LocalFs"', 'attestation_service.rvps_config.store_type'],
    ['[attestation_service.rvps_config]\nstore_config = {}', 'attestation_service.rvps_config.store_config'],
    ['[attestation_service.rvps_config]\nremote_addr = ""', 'attestation_service.rvps_config.remote_addr'],
    ['[storage_backend.backends.local_json]\ndir_path = "/j"', 'storage_backend.backends.local_json.dir_path'],
    ['[[plugins]]\nname = "resource"\ntype = "LocalFs"\ndir_path = "/r"', 'plugins[0].type'],
    ['[policy_engine]\npolicy_path = "/p.rego"', 'policy_engine'],
    ['sockets = ["0.0.0.0:1"]', 'sockets'],
    ['insecure_http = true', 'insecure_http'],
    ['private_key = "/k"', 'private_key'],
    ['certificate = "/c"', 'certificate'],
    ['auth_public_key = "/a.pub"', 'auth_public_key'],
    ['insecure_api = true', 'insecure_api'],
    ['timeout = 9', 'timeout'],
    ['attestation_token_type = "CoCo"', 'attestation_token_type'],
    ['as_config_file_path = "/as.json"', 'as_config_file_path'],
    ['[attestation_token_config]\ntrusted_certs_paths = ["/ca"]', 'attestation_token_config'],
    ['[as_config]\nwork_dir = "/w"', 'as_config'],
    ['[grpc_config]\nas_addr = "http://as:1"', 'grpc_config'],
    ['[intel_trust_authority_config]\nbase_url = "u"\napi_key = "k"\ncerts_file = "c"', 'intel_trust_authority_config'],
    ['[repository_config]\ntype = "LocalFs"\ndir_path = "/r"', 'repository_config'],
    ['[policy_engine_config]\npolicy_path = "/p"', 'policy_engine_config'],
  ]
  for (const [text, key] of cases) {
    it(key, () => {
      assert.ok(warnedKeys(text).includes(key), `no warning for ${key}`)
    })
  }
})

describe('deprecated keys are mapped onto the current model', () => {
  it('v0.10–v0.14 admin key → bearer_jwt provider with a legacy admin role', () => {
    assert.deepEqual(parse('[admin]\nauth_public_key = "/k.pub"').config.admin, {
      authorizationMode: 'AuthenticatedAuthorization',
      identityProviders: [{ publicKeyUri: '/k.pub', legacyRole: 'admin' }],
      acls: [{ role: 'admin', allowedEndpoints: '^/kbs/.+$' }],
    })
    assert.equal(parse('[admin]\ninsecure_api = true').config.admin.authorizationMode, 'InsecureAllowAll')
    assert.equal(parse('[admin]\ninsecure_api = false').config.admin.authorizationMode, 'DenyAll')
  })

  it('v0.15–v0.17 Simple personas → one provider per persona', () => {
    const { admin } = parse(
      '[admin]\ntype = "Simple"\n[[admin.personas]]\nid = "a"\npublic_key_path = "/a.pub"\n[[admin.personas]]\nid = "b"\npublic_key_path = "/b.pub"',
    ).config
    assert.equal(admin.authorizationMode, 'AuthenticatedAuthorization')
    assert.deepEqual(
      admin.identityProviders.map((provider) => provider.publicKeyUri),
      ['/a.pub', '/b.pub'],
    )
    assert.equal(parse('[admin]\ntype = "Simple"').config.admin.authorizationMode, 'DenyAll')
  })

  it('insecure_key → insecureHeaderJwk; attestation_token_config → broker', () => {
    const { config } = parse(
      '[attestation_token]\ninsecure_key = true\n[attestation_service.attestation_token_config]\nduration_min = 3\nissuer_name = "old"',
    )
    assert.equal(config.attestationToken.insecureHeaderJwk, true)
    assert.equal(config.attestationService.type, 'coco_as_builtin')
    assert.equal(config.attestationService.attestationTokenBroker.durationMin, 3)
    assert.equal(config.attestationService.attestationTokenBroker.issuerName, 'old')
  })

  it('rvps_config store_type and remote_addr', () => {
    const builtIn = parse('[attestation_service.rvps_config]\nstore_type = "LocalJson"').config.attestationService
    assert.equal(builtIn.type, 'coco_as_builtin')
    assert.deepEqual(builtIn.rvpsConfig, { type: 'BuiltIn', storageType: 'LocalJson' })
    const remote = parse('[attestation_service.rvps_config]\nremote_addr = "http://rvps:50003"').config
      .attestationService
    assert.equal(remote.type, 'coco_as_builtin')
    assert.deepEqual(remote.rvpsConfig, { type: 'GrpcRemote', address: 'http://rvps:50003' })
  })

  it('the pre-v0.10 flat layout', () => {
    const { config } = parse(`
sockets = ["0.0.0.0:8080"]
insecure_http = true
auth_public_key = "/kbs/kbs.pem"
timeout = 9
attestation_token_type = "CoCo"
[grpc_config]
as_addr = "http://as:50004"
[repository_config]
type = "LocalFs"
dir_path = "/tmp/kbs-resource"
[policy_engine_config]
policy_path = "/etc/kbs-policy.rego"
[attestation_token_config]
trusted_certs_paths = ["/etc/ca"]
`)
    assert.deepEqual(config.httpServer.sockets, ['0.0.0.0:8080'])
    assert.equal(config.httpServer.insecureHttp, true)
    assert.deepEqual(config.admin.identityProviders, [{ publicKeyUri: '/kbs/kbs.pem', legacyRole: 'admin' }])
    assert.deepEqual(config.attestationService, {
      type: 'coco_as_grpc',
      timeoutMin: 9,
      asAddr: 'http://as:50004',
      poolSize: 100,
    })
    assert.deepEqual(config.plugins, [
      { name: 'resource', storageBackendType: 'LocalFs', dirPath: '/tmp/kbs-resource', options: {} },
    ])
    assert.equal(config.legacyResourcePolicyPath, '/etc/kbs-policy.rego')
    assert.deepEqual(config.attestationToken.trustedCertsPaths, ['/etc/ca'])
  })

  it('[as_config] is the built-in AS', () => {
    const { config } = parse('[as_config]\nwork_dir = "/w"\n[as_config.rvps_config]\nstore_type = "LocalFs"')
    assert.equal(config.attestationService.type, 'coco_as_builtin')
    assert.deepEqual(config.attestationService.rvpsConfig, { type: 'BuiltIn', storageType: 'LocalFs' })
  })
})
