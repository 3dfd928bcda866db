import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KbsConfigError } from './errors.ts'
import { formatFromFileName, parseKbsConfig } from './parse-kbs-config.ts'

const FILE = 'my-kbs.toml'

function parse(text: string): ReturnType<typeof parseKbsConfig> {
  return parseKbsConfig(text, { fileName: FILE })
}

describe('defaults', () => {
  it('an empty file gives the upstream defaults', () => {
    const { config, warnings } = parse('')
    assert.deepEqual(warnings, [
      {
        key: 'admin',
        file: FILE,
        message: `${FILE}: admin: missing: the admin API is disabled (authorization_mode = "DenyAll"); upstream requires [admin]`,
      },
    ])
    assert.deepEqual(config.httpServer, {
      sockets: ['127.0.0.1:8080'],
      insecureHttp: false,
      payloadRequestSizeMiB: 2,
      tlsProfile: 'intermediate',
    })
    assert.deepEqual(config.admin, { authorizationMode: 'DenyAll', identityProviders: [], acls: [] })
    assert.deepEqual(config.attestationToken, {
      trustedCertsPaths: [],
      trustedJwkSets: [],
      extraTeekeyPaths: [],
      insecureHeaderJwk: false,
    })
    assert.equal(config.attestationService.type, 'coco_as_builtin')
    assert.equal(config.attestationService.timeoutMin, 5)
    assert.deepEqual(config.attestationService.rvpsConfig, { type: 'BuiltIn' })
    assert.deepEqual(config.storageBackend, { storageType: 'Memory', backends: {} })
    assert.equal(config.sessionStorageType, 'Memory')
    assert.deepEqual(config.plugins, [])
  })

  it('current keys of every section', () => {
    const { config, warnings } = parse(`
session_storage_type = "Postgres"
[http_server]
sockets = ["0.0.0.0:8443", "[::1]:9000"]
private_key = "/k.pem"
certificate = "/c.pem"
payload_request_size = 8
worker_count = 2
tls_profile = "custom"
tls_min_version = "1.2"
tls_max_version = "1.3"
tls_ciphers = "TLS_AES_256_GCM_SHA384"
tls_groups = "X25519"
[admin]
authorization_mode = "AuthenticatedAuthorization"
[admin.authentication.bearer_jwt]
identity_providers = [
  { issuer = "https://idp", audience = "kbs", public_key_uri = "file:///admin.pub" },
  { jwk_set_uri = "https://idp/jwks" },
]
[admin.authorization.regex_acl]
acls = [{ role = "admin", allowed_endpoints = "^/kbs/.+$" }]
[attestation_token]
trusted_certs_paths = ["/ca.pem"]
trusted_jwk_sets = ["file:///jwks.json"]
extra_teekey_paths = ["/x/tee-pubkey"]
insecure_header_jwk = false
[attestation_service]
type = "CoCoASBuiltIn"
timeout = 7
storage_type = "local_json"
[attestation_service.rvps_config]
type = "BuiltIn"
storage_type = "memory"
extractors = { swid_extractor = {} }
[attestation_service.attestation_token_broker]
duration_min = 10
issuer_name = "me"
developer_name = "dev"
build_name = "b 1"
profile_name = "p"
verbose_token = false
signer = { key_path = "/t.key", cert_url = "https://c" }
[attestation_service.verifier_config]
snp_verifier = { vcek_sources = [{ type = "KDS", base_url = "https://kds" }, { type = "OfflineStore", path = "/v" }] }
dcap_verifier = { collateral_service = "file:///pcs.json", tcb_update_type = "standard" }
nvidia_verifier = { type = "Remote", verifier_url = "https://nras" }
tpm_verifier = {}
nvidia_dpu_verifier = { root_ca_cert_path = "/root.pem", max_cert_age_secs = 60 }
[storage_backend]
storage_type = "Postgres"
[storage_backend.backends.postgres]
db = "kbs"
username = "u"
password = "p"
host = "db"
port = 5433
[storage_backend.backends.redis]
url = "redis://r:6379"
[[plugins]]
name = "resource"
storage_backend_type = "Vault"
vault_url = "https://vault"
token = "t"
[[plugins]]
name = "nebula-ca"
work_dir = "/n"
`)
    assert.deepEqual(warnings, [])
    assert.deepEqual(config.httpServer, {
      sockets: ['0.0.0.0:8443', '[::1]:9000'],
      insecureHttp: false,
      privateKey: '/k.pem',
      certificate: '/c.pem',
      payloadRequestSizeMiB: 8,
      workerCount: 2,
      tlsProfile: 'custom',
      tlsMinVersion: '1.2',
      tlsMaxVersion: '1.3',
      tlsCiphers: 'TLS_AES_256_GCM_SHA384',
      tlsGroups: 'X25519',
    })
    assert.deepEqual(config.admin, {
      authorizationMode: 'AuthenticatedAuthorization',
      identityProviders: [
        { issuer: 'https://idp', audience: 'kbs', publicKeyUri: 'file:///admin.pub' },
        { jwkSetUri: 'https://idp/jwks' },
      ],
      acls: [{ role: 'admin', allowedEndpoints: '^/kbs/.+$' }],
    })
    assert.deepEqual(config.attestationToken, {
      trustedCertsPaths: ['/ca.pem'],
      trustedJwkSets: ['file:///jwks.json'],
      extraTeekeyPaths: ['/x/tee-pubkey'],
      insecureHeaderJwk: false,
    })
    assert.deepEqual(config.attestationService, {
      type: 'coco_as_builtin',
      timeoutMin: 7,
      storageType: 'LocalJson',
      rvpsConfig: { type: 'BuiltIn', storageType: 'Memory', extractors: { swid_extractor: {} } },
      attestationTokenBroker: {
        durationMin: 10,
        issuerName: 'me',
        developerName: 'dev',
        buildName: 'b 1',
        profileName: 'p',
        verboseToken: false,
        signer: { keyPath: '/t.key', certUrl: 'https://c' },
      },
      verifierConfig: {
        snpVerifier: {
          vcekSources: [
            { type: 'KDS', baseUrl: 'https://kds' },
            { type: 'OfflineStore', path: '/v' },
          ],
        },
        dcapVerifier: { collateralService: 'file:///pcs.json', tcbUpdateType: 'standard' },
        nvidiaVerifier: { type: 'Remote', verifierUrl: 'https://nras' },
        tpmVerifier: {},
        nvidiaDpuVerifier: { rootCaCertPath: '/root.pem', maxCertAgeSecs: 60 },
      },
    })
    assert.deepEqual(config.storageBackend, {
      storageType: 'Postgres',
      backends: {
        postgres: { db: 'kbs', username: 'u', password: 'p', host: 'db', port: 5433 },
        redis: { url: 'redis://r:6379' },
      },
    })
    assert.equal(config.sessionStorageType, 'Postgres')
    assert.deepEqual(config.plugins, [
      {
        name: 'resource',
        storageBackendType: 'Vault',
        options: { vault_url: 'https://vault', token: 't' },
      },
      { name: 'nebula-ca', options: { work_dir: '/n' } },
    ])
  })

  it('TLS fields beside a non-custom profile warn, as upstream logs', () => {
    const { config, warnings } = parse(
      '[admin]\nauthorization_mode = "DenyAll"\n[http_server]\ntls_profile = "modern"\ntls_groups = "X25519"',
    )
    assert.equal(config.httpServer.tlsGroups, 'X25519')
    assert.deepEqual(
      warnings.map((warning) => warning.key),
      ['http_server.tls_groups'],
    )
  })

  it('gRPC AS and remote RVPS (parsed although not served)', () => {
    const grpc = parse('[attestation_service]\ntype = "coco_as_grpc"\nas_addr = "http://as:50004"').config
    assert.deepEqual(grpc.attestationService, {
      type: 'coco_as_grpc',
      timeoutMin: 5,
      asAddr: 'http://as:50004',
      poolSize: 100,
    })
    const rvps = parse('[attestation_service.rvps_config]\ntype = "GrpcRemote"').config
    assert.equal(rvps.attestationService.type, 'coco_as_builtin')
    assert.deepEqual(rvps.attestationService.rvpsConfig, { type: 'GrpcRemote', address: '127.0.0.1:50003' })
  })
})

describe('formats', () => {
  it('picks the format from the extension', () => {
    assert.equal(formatFromFileName('/etc/kbs/kbs-config.toml'), 'toml')
    assert.equal(formatFromFileName('a.YAML'), 'yaml')
    assert.equal(formatFromFileName('a.yml'), 'yaml')
    assert.equal(formatFromFileName('a.json'), 'json')
    assert.throws(() => formatFromFileName('kbs.conf'), /kbs\.conf: unknown config format/)
  })

  it('YAML and JSON carry the same keys', () => {
    const yaml = parseKbsConfig(
      'http_server:\n  sockets: ["0.0.0.0:1"]\nadmin:\n  authorization_mode: InsecureAllowAll\n',
      {
        fileName: 'k.yaml',
      },
    )
    const json = parseKbsConfig(
      '{"http_server":{"sockets":["0.0.0.0:1"]},"admin":{"authorization_mode":"InsecureAllowAll"}}',
      {
        fileName: 'k.json',
      },
    )
    assert.deepEqual(yaml.config, json.config)
    assert.deepEqual(yaml.config.httpServer.sockets, ['0.0.0.0:1'])
    assert.equal(yaml.config.admin.authorizationMode, 'InsecureAllowAll')
  })

  it('null counts as absent (JSON null, YAML ~)', () => {
    const json = parseKbsConfig('{"http_server":{"private_key":null,"sockets":null},"admin":null}', {
      fileName: 'k.json',
    })
    assert.equal(json.config.httpServer.privateKey, undefined)
    assert.deepEqual(json.config.httpServer.sockets, ['127.0.0.1:8080'])
    const yaml = parseKbsConfig('attestation_token:\n  trusted_certs_paths: ~\n', { fileName: 'k.yml' })
    assert.deepEqual(yaml.config.attestationToken.trustedCertsPaths, [])
  })

  it('syntax errors name the file and the format', () => {
    assert.throws(
      () => parse('[http_server'),
      (error: unknown) => {
        assert.ok(error instanceof KbsConfigError)
        assert.equal(error.code, 'CONFIG_INVALID')
        assert.match(error.message, /^my-kbs\.toml: not valid TOML: /)
        return true
      },
    )
    assert.throws(() => parseKbsConfig('[1, 2]', { fileName: 'k.json' }), /^KbsConfigError: k\.json: expected a table/)
  })
})
