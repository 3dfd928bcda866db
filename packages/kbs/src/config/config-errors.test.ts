import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KbsConfigError } from './errors.ts'
import { parseKbsConfig } from './parse-kbs-config.ts'

const FILE = 'my-kbs.toml'

function rejects(text: string, keyPath: string, pattern?: RegExp): void {
  assert.throws(
    () => parseKbsConfig(text, { fileName: FILE }),
    (error: unknown) => {
      assert.ok(error instanceof KbsConfigError)
      assert.equal(error.code, 'CONFIG_INVALID')
      assert.ok(error.message.startsWith(`${FILE}: ${keyPath}: `), error.message)
      if (pattern !== undefined) assert.match(error.message, pattern)
      return true
    },
  )
}

describe('unknown keys are errors naming the key and the file', () => {
  const cases: [string, string][] = [
    ['bogus = 1', 'bogus'],
    ['[http_server]\nsocket = ["0.0.0.0:1"]', 'http_server.socket'],
    ['[admin]\nauthorization_mode = "DenyAll"\nmode = 1', 'admin.mode'],
    [
      '[admin]\nauthorization_mode = "DenyAll"\n[admin.authentication.bearer_jwt]\nidp = []',
      'admin.authentication.bearer_jwt.idp',
    ],
    ['[admin]\nauthorization_mode = "DenyAll"\n[admin.authentication.oidc]', 'admin.authentication.oidc'],
    [
      '[admin]\nauthorization_mode = "DenyAll"\n[admin.authentication.bearer_jwt]\nidentity_providers = [{ issuer = "i", public_key_uri = "p", kid = "x" }]',
      'admin.authentication.bearer_jwt.identity_providers[0].kid',
    ],
    [
      '[admin]\nauthorization_mode = "DenyAll"\n[admin.authorization.regex_acl]\nacls = [{ role = "a", allowed_endpoints = "^/kbs/a$", method = "GET" }]',
      'admin.authorization.regex_acl.acls[0].method',
    ],
    ['[attestation_token]\ntrusted_certs = []', 'attestation_token.trusted_certs'],
    ['[attestation_service]\nfoo = 1', 'attestation_service.foo'],
    ['[attestation_service]\ntype = "coco_as_grpc"\nrvps_config = {}', 'attestation_service.rvps_config'],
    [
      '[attestation_service.rvps_config]\ntype = "GrpcRemote"\nstorage_type = "Memory"',
      'attestation_service.rvps_config.storage_type',
    ],
    [
      '[attestation_service.attestation_token_broker]\nduration = 5',
      'attestation_service.attestation_token_broker.duration',
    ],
    [
      '[attestation_service.attestation_token_broker.signer]\nkey_path = "k"\nkey = "k"',
      'attestation_service.attestation_token_broker.signer.key',
    ],
    ['[attestation_service.verifier_config]\nsev_verifier = {}', 'attestation_service.verifier_config.sev_verifier'],
    [
      '[attestation_service.verifier_config.snp_verifier]\nvcek_sources = [{ type = "KDS", path = "/p" }]',
      'attestation_service.verifier_config.snp_verifier.vcek_sources[0].path',
    ],
    ['[storage_backend]\ntype = "Memory"', 'storage_backend.type'],
    ['[storage_backend.backends.local_fs]\npath = "/x"', 'storage_backend.backends.local_fs.path'],
    ['[storage_backend.backends.mongo]', 'storage_backend.backends.mongo'],
    ['[[plugins]]\nname = "resource"\nstorage_backend_type = "kvstorage"\ndir_path = "/x"', 'plugins[0].dir_path'],
    ['[policy_engine]\npolicy = "x"', 'policy_engine.policy'],
  ]
  for (const [text, keyPath] of cases) {
    it(keyPath, () => {
      rejects(text, keyPath, /unknown key/)
    })
  }

  it('lists what was expected', () => {
    rejects('[http_server]\nsocket = []', 'http_server.socket', /expected one of: .*sockets/)
  })
})

describe('wrong types and values are errors', () => {
  const cases: [string, string, RegExp][] = [
    [
      '[http_server]\nsockets = "0.0.0.0:8080"',
      'http_server.sockets',
      /expected an array of strings, got "0\.0\.0\.0:8080"/,
    ],
    ['[http_server]\nsockets = [8080]', 'http_server.sockets[0]', /expected a string, got 8080/],
    ['[http_server]\nsockets = ["localhost:8080"]', 'http_server.sockets[0]', /expected "IP:port"/],
    ['[http_server]\nsockets = ["0.0.0.0:70000"]', 'http_server.sockets[0]', /IP:port/],
    ['[http_server]\ninsecure_http = "yes"', 'http_server.insecure_http', /expected true or false/],
    ['[http_server]\npayload_request_size = 1.5', 'http_server.payload_request_size', /expected an integer/],
    ['[http_server]\npayload_request_size = 0', 'http_server.payload_request_size', /from 1 to 1024/],
    [
      '[http_server]\ntls_profile = "strict"',
      'http_server.tls_profile',
      /one of "old", "intermediate", "modern", "custom"/,
    ],
    ['[http_server]\ntls_min_version = "1.3"\ntls_max_version = "1.2"', 'http_server.tls_min_version', /above/],
    [
      '[admin]\nauthorization_mode = "AllowAll"',
      'admin.authorization_mode',
      /expected one of "InsecureAllowAll", "DenyAll", "AuthenticatedAuthorization", got "AllowAll"/,
    ],
    ['admin = "DenyAll"', 'admin', /expected a table/],
    [
      '[admin]\nauthorization_mode = "AuthenticatedAuthorization"\n[admin.authentication.bearer_jwt]\nidentity_providers = [{ issuer = "x" }]',
      'admin.authentication.bearer_jwt.identity_providers[0]',
      /public_key_uri or jwk_set_uri/,
    ],
    [
      '[admin]\nauthorization_mode = "AuthenticatedAuthorization"\n[admin.authorization.regex_acl]\nacls = [{ role = "a", allowed_endpoints = ".*" }]',
      'admin.authorization.regex_acl.acls[0].allowed_endpoints',
      /must start with "\^\/kbs"/,
    ],
    ['[admin]\nauthorization_mode = "DenyAll"\ninsecure_api = true', 'admin.insecure_api', /cannot be combined/],
    ['[admin]\ntype = "Complex"', 'admin.type', /expected one of "Simple"/],
    ['[attestation_token]\ninsecure_header_jwk = 1', 'attestation_token.insecure_header_jwk', /true or false/],
    [
      '[attestation_token]\ninsecure_key = true\ninsecure_header_jwk = false',
      'attestation_token.insecure_key',
      /conflicts/,
    ],
    ['[attestation_service]\ntype = "keylime"', 'attestation_service.type', /expected one of "coco_as_builtin"/],
    ['[attestation_service]\ntimeout = "5"', 'attestation_service.timeout', /expected an integer, got "5"/],
    [
      '[attestation_service]\ntype = "intel_ta"\nbase_url = "u"\napi_key = "k"',
      'attestation_service.certs_file',
      /missing/,
    ],
    [
      '[attestation_service.attestation_token_broker.signer]\ncert_path = "/c"',
      'attestation_service.attestation_token_broker.signer.key_path',
      /missing/,
    ],
    [
      '[attestation_service.attestation_token_broker]\nduration_min = 5\n[attestation_service.attestation_token_config]\nduration_min = 6',
      'attestation_service.attestation_token_config',
      /duration_min differently/,
    ],
    [
      '[attestation_service.verifier_config.dcap_verifier]\ntcb_update_type = "late"',
      'attestation_service.verifier_config.dcap_verifier.tcb_update_type',
      /"early", "standard"/,
    ],
    ['[storage_backend]\nstorage_type = "Mongo"', 'storage_backend.storage_type', /"Memory", "memory", "LocalFs"/],
    ['session_storage_type = 3', 'session_storage_type', /expected one of/],
    ['[storage_backend.backends.postgres]\nport = 99999', 'storage_backend.backends.postgres.port', /from 1 to 65535/],
    ['[[plugins]]\nstorage_backend_type = "kvstorage"', 'plugins[0].name', /missing/],
    [
      '[[plugins]]\nname = "resource"\nstorage_backend_type = "S3"',
      'plugins[0].storage_backend_type',
      /expected one of/,
    ],
    ['plugins = [1]', 'plugins[0]', /expected a table, got 1/],
    ['[attestation_service]\n[as_config]', 'as_config', /cannot be combined/],
  ]
  for (const [text, keyPath, pattern] of cases) {
    it(`${keyPath} ${pattern.source}`, () => {
      rejects(text, keyPath, pattern)
    })
  }
})
