import { join } from 'node:path'
import type { KbsConfig } from './model.ts'
import { DEFAULT_SOCKET } from './parse-http-server.ts'
import { parseTokenBroker } from './parse-token-broker.ts'

export const DEFAULT_ADMIN_ROLE = 'admin'

/**
 * The config of `carapace kbs serve` without a file: HTTPS with a self-signed certificate,
 * admin API behind an Ed25519 key, ES256 token key, file storage — all under `dataDir`. Paths
 * flagged "generate if missing" are created by the server at start (not here).
 */
export function defaultKbsConfig(options: { readonly dataDir: string }): KbsConfig {
  const dir = options.dataDir
  const adminPublicKey = join(dir, 'admin', 'admin-key.pub.pem')
  return {
    httpServer: {
      sockets: [DEFAULT_SOCKET],
      insecureHttp: false,
      privateKey: join(dir, 'tls', 'server-key.pem'),
      certificate: join(dir, 'tls', 'server-cert.pem'),
      payloadRequestSizeMiB: 2,
      tlsProfile: 'intermediate',
      generateCertificateIfMissing: true,
    },
    admin: {
      authorizationMode: 'AuthenticatedAuthorization',
      identityProviders: [{ publicKeyUri: adminPublicKey }],
      acls: [{ role: DEFAULT_ADMIN_ROLE, allowedEndpoints: '^/kbs/.+$' }],
      generatedKey: { privateKeyPath: join(dir, 'admin', 'admin-key.pem'), publicKeyPath: adminPublicKey },
    },
    attestationToken: {
      trustedCertsPaths: [join(dir, 'token', 'token-cert.pem')],
      trustedJwkSets: [],
      extraTeekeyPaths: [],
      insecureHeaderJwk: false,
    },
    attestationService: {
      type: 'coco_as_builtin',
      timeoutMin: 5,
      rvpsConfig: { type: 'BuiltIn' },
      attestationTokenBroker: {
        ...parseTokenBroker(undefined),
        signer: {
          keyPath: join(dir, 'token', 'token-key.pem'),
          certPath: join(dir, 'token', 'token-cert.pem'),
          generateIfMissing: true,
        },
      },
      verifierConfig: {},
    },
    storageBackend: { storageType: 'LocalFs', backends: { localFs: { dirPath: join(dir, 'storage') } } },
    sessionStorageType: 'LocalFs',
    plugins: [{ name: 'resource', storageBackendType: 'kvstorage', options: {} }],
  }
}
