import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parse as parseYaml } from 'yaml'
import type { KbsConfig } from './model.ts'
import { parseKbsConfig } from './parse-kbs-config.ts'

const FIXTURES = new URL('../../fixtures/config/', import.meta.url)

function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
}

/** The TOML embedded in a Kubernetes ConfigMap manifest. */
function configMapToml(manifest: string): string {
  const document: unknown = parseYaml(manifest)
  const data = (document as { data?: Record<string, unknown> }).data
  const toml = data?.['kbs-config.toml']
  assert.equal(typeof toml, 'string')
  return toml as string
}

/**
 * Renders the Go/Helm template directives these fixtures use: `{{if C}}` / `{{- if C }}`,
 * `{{else}}`, `{{end}}` (nested, whole lines or inline) and `{{.Name}}` substitutions.
 */
function renderTemplate(
  text: string,
  condition: (expression: string) => boolean,
  values: Record<string, string> = {},
): string {
  const tokens = text.split(/(\{\{-?\s*(?:if .*?|else|end)\s*-?\}\})/)
  const stack: boolean[] = []
  let out = ''
  for (const token of tokens) {
    const directive = /^\{\{-?\s*(if (.*?)|else|end)\s*-?\}\}$/.exec(token)
    if (directive === null) {
      if (stack.every(Boolean)) out += token
      continue
    }
    if (directive[1] === 'end') stack.pop()
    else if (directive[1] === 'else') stack.push(!(stack.pop() ?? true))
    else stack.push(condition(directive[2] ?? ''))
  }
  return out.replace(/\{\{\.(\w+)\}\}/g, (_match, name: string) => values[name] ?? '')
}

function load(text: string, fileName = 'kbs-config.toml'): ReturnType<typeof parseKbsConfig> {
  return parseKbsConfig(text, { fileName })
}

const BROKER_DEFAULTS = {
  durationMin: 5,
  issuerName: 'CoCo-Attestation-Service',
  developerName: 'https://confidentialcontainers.org',
  profileName: 'tag:github.com,2024:confidential-containers/Trustee',
  verboseToken: true,
}

describe('upstream configs load', () => {
  it('trustee-operator permissive template: exact model, one warning', () => {
    const { config, warnings } = load(fixture('kbs-config-permissive.toml'), 'kbs-config-permissive.toml')
    const expected: KbsConfig = {
      httpServer: {
        sockets: ['0.0.0.0:8080'],
        insecureHttp: true,
        payloadRequestSizeMiB: 2,
        workerCount: 4,
        tlsProfile: 'intermediate',
      },
      admin: { authorizationMode: 'DenyAll', identityProviders: [], acls: [] },
      attestationToken: { trustedCertsPaths: [], trustedJwkSets: [], extraTeekeyPaths: [], insecureHeaderJwk: true },
      attestationService: {
        type: 'coco_as_builtin',
        timeoutMin: 5,
        rvpsConfig: { type: 'BuiltIn', storageType: 'LocalJson' },
        attestationTokenBroker: BROKER_DEFAULTS,
        verifierConfig: {
          snpVerifier: { vcekSources: [{ type: 'OfflineStore' }, { type: 'KDS' }] },
          dcapVerifier: { collateralService: 'https://api.trustedservices.intel.com/sgx/certification/v4/' },
        },
      },
      storageBackend: {
        storageType: 'LocalFs',
        backends: {
          localFs: { dirPath: '/opt/confidential-containers/storage' },
          localJson: { fileDirPath: '/opt/confidential-containers/storage/local_json' },
        },
      },
      sessionStorageType: 'LocalFs',
      plugins: [{ name: 'resource', storageBackendType: 'kvstorage', options: {} }],
    }
    assert.deepEqual(config, expected)
    assert.deepEqual(
      warnings.map((warning) => [warning.key, warning.file]),
      [['storage_backend.backends.local_json.dir_path', 'kbs-config-permissive.toml']],
    )
  })

  for (const profile of ['', 'modern', 'custom']) {
    it(`trustee-operator restricted template (TlsProfile ${JSON.stringify(profile)})`, () => {
      const values: Record<string, string> =
        profile === 'custom'
          ? {
              TlsProfile: 'custom',
              TlsMinVersion: '1.3',
              TlsMaxVersion: '1.3',
              TlsCiphers: 'TLS_AES_256_GCM_SHA384',
              TlsGroups: 'X25519MLKEM768:X25519',
            }
          : { TlsProfile: profile }
      const condition = (expression: string): boolean => {
        const equals = /^eq \.(\w+) "(.*)"$/.exec(expression)
        if (equals !== null) return values[equals[1] ?? ''] === equals[2]
        return (values[expression.replace(/^\./, '')] ?? '') !== ''
      }
      const { config, warnings } = load(renderTemplate(fixture('kbs-config-restricted.toml'), condition, values))
      assert.equal(config.httpServer.insecureHttp, false)
      assert.equal(config.httpServer.privateKey, '/etc/https-key/privateKey')
      assert.equal(config.httpServer.certificate, '/etc/https-cert/certificate')
      assert.equal(config.httpServer.tlsProfile, profile === '' ? 'intermediate' : profile)
      if (profile === 'custom') {
        assert.equal(config.httpServer.tlsMinVersion, '1.3')
        assert.equal(config.httpServer.tlsGroups, 'X25519MLKEM768:X25519')
      }
      assert.deepEqual(config.attestationToken.trustedCertsPaths, ['/etc/attestation-cert/token.crt'])
      assert.equal(config.attestationService.type, 'coco_as_builtin')
      assert.deepEqual(config.attestationService.attestationTokenBroker, {
        ...BROKER_DEFAULTS,
        signer: { keyPath: '/etc/attestation-key/token.key', certPath: '/etc/attestation-cert/token.crt' },
      })
      assert.deepEqual(warnings.map((warning) => warning.key).sort(), [
        'attestation_service.attestation_token_config',
        'attestation_token.attestation_token_type',
        'storage_backend.backends.local_json.dir_path',
      ])
    })
  }

  it('trustee-operator all-in-one sample (ConfigMap): old keys mapped, exact model', () => {
    const { config, warnings } = load(configMapToml(fixture('operator-all-in-one-kbs-config.yaml')))
    const expected: KbsConfig = {
      httpServer: {
        sockets: ['0.0.0.0:8080'],
        insecureHttp: true,
        payloadRequestSizeMiB: 2,
        workerCount: 4,
        tlsProfile: 'intermediate',
      },
      // `type = "DenyAll"` wins over the v0.10 `insecure_api = true` next to it.
      admin: { authorizationMode: 'DenyAll', identityProviders: [], acls: [] },
      attestationToken: { trustedCertsPaths: [], trustedJwkSets: [], extraTeekeyPaths: [], insecureHeaderJwk: true },
      attestationService: {
        type: 'coco_as_builtin',
        timeoutMin: 5,
        rvpsConfig: {
          type: 'BuiltIn',
          legacyStorage: {
            storageType: 'LocalJson',
            backends: { localJson: { fileDirPath: '/opt/confidential-containers/storage/local_json' } },
          },
        },
        attestationTokenBroker: BROKER_DEFAULTS,
        verifierConfig: {},
      },
      storageBackend: { storageType: 'Memory', backends: {} },
      sessionStorageType: 'Memory',
      plugins: [
        {
          name: 'resource',
          storageBackendType: 'LocalFs',
          dirPath: '/opt/confidential-containers/storage/repository',
          options: {},
        },
      ],
      legacyResourcePolicyPath: '/opt/confidential-containers/storage/kbs/resource-policy.rego',
    }
    assert.deepEqual(config, expected)
    assert.deepEqual(warnings.map((warning) => warning.key).sort(), [
      'admin.auth_public_key',
      'admin.insecure_api',
      'admin.type',
      'attestation_service.attestation_token_broker.policy_dir',
      'attestation_service.attestation_token_broker.type',
      'attestation_service.attestation_token_config',
      'attestation_service.policy_engine',
      'attestation_service.rvps_config.storage',
      'attestation_service.work_dir',
      'attestation_token.attestation_token_type',
      'attestation_token.insecure_key',
      'plugins[0].type',
      'policy_engine',
    ])
  })

  it('trustee-operator Intel TA sample (ConfigMap)', () => {
    const { config } = load(configMapToml(fixture('operator-ita-kbs-config.yaml')))
    assert.deepEqual(config.attestationService, {
      type: 'intel_ta',
      timeoutMin: 5,
      baseUrl: 'https://api.trustauthority.intel.com',
      apiKey: 'tBfd5kKX2x9ahbodKV1...',
      certsFile: 'https://portal.trustauthority.intel.com',
      policyIds: [],
      allowUnmatchedPolicy: true,
    })
    assert.deepEqual(config.attestationToken.trustedJwkSets, ['https://portal.trustauthority.intel.com'])
  })

  for (const format of ['v1.0', 'v1.1']) {
    for (const gpu of [false, true]) {
      it(`validatedpatterns trustee-chart (admin format ${format}, gpu ${gpu})`, () => {
        const condition = (expression: string): boolean => {
          if (expression.includes('.Values.kbs.admin.format')) return format === 'v1.1'
          if (expression === '.Values.kbs.gpu.enabled') return gpu
          throw new Error(`unexpected template condition ${expression}`)
        }
        const toml = renderTemplate(configMapToml(fixture('validatedpatterns-kbs-config-map.yaml')), condition)
        const { config, warnings } = load(toml)
        assert.deepEqual(config.admin, {
          authorizationMode: 'AuthenticatedAuthorization',
          identityProviders: [{ publicKeyUri: '/etc/auth-secret/publicKey', legacyRole: 'admin' }],
          acls: [{ role: 'admin', allowedEndpoints: '^/kbs/.+$' }],
        })
        assert.equal(config.attestationService.type, 'coco_as_builtin')
        assert.deepEqual(config.attestationService.rvpsConfig, {
          type: 'BuiltIn',
          legacyFilePath: '/opt/confidential-containers/rvps/reference-values/reference-values.json',
          legacyStorage: { storageType: 'LocalJson', backends: {} },
        })
        assert.deepEqual(config.attestationService.verifierConfig, gpu ? { nvidiaVerifier: { type: 'Remote' } } : {})
        assert.deepEqual(config.attestationService.attestationTokenBroker.signer, {
          keyPath: '/etc/attestation-cert/tls.key',
          certPath: '/etc/attestation-cert/tls.crt',
        })
        assert.equal(config.legacyResourcePolicyPath, '/opt/confidential-containers/opa/policy.rego')
        const keys = warnings.map((warning) => warning.key)
        assert.ok(keys.includes(format === 'v1.1' ? 'admin.personas' : 'admin.auth_public_key'))
        assert.ok(keys.includes('attestation_token.insecure_key'))
      })
    }
  }

  it('guest-components kbs_protocol test config: exact model', () => {
    const { config, warnings } = load(fixture('guest-components-kbs-protocol-test.toml'))
    const expected: KbsConfig = {
      httpServer: {
        sockets: ['0.0.0.0:8085'],
        insecureHttp: true,
        payloadRequestSizeMiB: 2,
        tlsProfile: 'intermediate',
      },
      admin: { authorizationMode: 'InsecureAllowAll', identityProviders: [], acls: [] },
      attestationToken: { trustedCertsPaths: [], trustedJwkSets: [], extraTeekeyPaths: [], insecureHeaderJwk: true },
      attestationService: {
        type: 'coco_as_builtin',
        timeoutMin: 5,
        rvpsConfig: { type: 'BuiltIn' },
        attestationTokenBroker: BROKER_DEFAULTS,
        verifierConfig: {},
      },
      storageBackend: {
        storageType: 'LocalFs',
        backends: { localFs: { dirPath: '/opt/confidential-containers/trustee' } },
      },
      sessionStorageType: 'LocalFs',
      plugins: [{ name: 'resource', storageBackendType: 'kvstorage', options: {} }],
    }
    assert.deepEqual(config, expected)
    assert.deepEqual(
      warnings.map((warning) => warning.key),
      [
        'attestation_service.work_dir',
        'attestation_service.attestation_token_config',
        'attestation_service.attestation_token_config.type',
      ],
    )
  })
})
