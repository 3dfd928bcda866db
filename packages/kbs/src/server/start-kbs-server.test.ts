import assert from 'node:assert/strict'
import { X509Certificate } from 'node:crypto'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { createNodeFetch } from '@carapace/kbs-client'
import { parseKbsConfig } from '../config/index.ts'
import { capturingLogger, tempDir } from './server-test-support.ts'
import { startKbsServer } from './start-kbs-server.ts'

const temp = tempDir('carapace-serve-')
after(() => {
  temp.remove()
})
const mode = (path: string): number => statSync(path).mode & 0o777

describe('startKbsServer with embedded defaults', () => {
  it('generates key material with private modes, serves /healthz over HTTPS, and reuses it on restart', async () => {
    const dataDir = join(temp.dir, 'data')
    const logger = capturingLogger()
    const kbs = await startKbsServer({ dataDir, listen: '127.0.0.1:0', logger })
    let fingerprint: string | undefined
    try {
      assert.match(kbs.url, /^https:\/\/127\.0\.0\.1:\d+$/)
      assert.notEqual(kbs.url, 'https://127.0.0.1:0')
      for (const file of ['tls/server-key.pem', 'admin/admin-key.pem', 'token/token-key.pem']) {
        assert.equal(mode(join(dataDir, file)), 0o600, file)
      }
      for (const dir of ['tls', 'admin', 'token', 'storage']) assert.equal(mode(join(dataDir, dir)), 0o700, dir)
      assert.equal(kbs.adminPrivateKeyPath, join(dataDir, 'admin', 'admin-key.pem'))
      assert.equal(kbs.storageDir, join(dataDir, 'storage'))
      const certificatePem = kbs.certificatePem ?? ''
      assert.equal(certificatePem, readFileSync(join(dataDir, 'tls', 'server-cert.pem'), 'utf8'))
      fingerprint = kbs.fingerprintSha256
      assert.equal(fingerprint, new X509Certificate(certificatePem).fingerprint256)
      const fetch = createNodeFetch({ ca: certificatePem })
      const health = await fetch(`${kbs.url}/healthz`)
      assert.equal(health.status, 200)
      assert.match(health.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/)
      await assert.rejects(createNodeFetch()(`${kbs.url}/healthz`), /self-signed|SELF_SIGNED/i)
      const metrics = await fetch(`${kbs.url}/metrics`)
      assert.match(await metrics.text(), /kbs_http_requests_total/)
      assert.ok(logger.lines.some((l) => l.message === 'generated a self-signed TLS certificate'))
    } finally {
      await kbs.close()
    }
    const adminKey = readFileSync(join(dataDir, 'admin', 'admin-key.pem'), 'utf8')
    const again = await startKbsServer({ dataDir, listen: '127.0.0.1:0', logger: capturingLogger() })
    try {
      assert.equal(again.fingerprintSha256, fingerprint)
      assert.equal(readFileSync(join(dataDir, 'admin', 'admin-key.pem'), 'utf8'), adminKey)
      assert.equal((await createNodeFetch({ ca: again.certificatePem ?? '' })(`${again.url}/healthz`)).status, 200)
    } finally {
      await again.close()
    }
  })

  it('names extra hosts in a generated certificate', async () => {
    const kbs = await startKbsServer({
      dataDir: join(temp.dir, 'san'),
      listen: '127.0.0.1:0',
      tlsSubjectAltNames: ['kbs.example.test', '10.1.2.3'],
      logger: capturingLogger(),
    })
    try {
      const certificate = new X509Certificate(kbs.certificatePem ?? '')
      assert.equal(
        certificate.subjectAltName,
        'DNS:localhost, DNS:kbs.example.test, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, IP Address:10.1.2.3',
      )
    } finally {
      await kbs.close()
    }
  })

  it('serves plain HTTP only when insecure_http = true, with a warning', async () => {
    const dataDir = join(temp.dir, 'plain')
    const { config } = parseKbsConfig(
      `[http_server]\ninsecure_http = true\n[admin]\ntype = "DenyAll"\n[storage_backend]\nstorage_type = "Memory"\n`,
      { fileName: 'plain.toml' },
    )
    const logger = capturingLogger()
    const kbs = await startKbsServer({ config, dataDir, listen: '127.0.0.1:0', logger })
    try {
      assert.match(kbs.url, /^http:\/\/127\.0\.0\.1:\d+$/)
      assert.equal(kbs.certificatePem, undefined)
      assert.equal((await fetch(`${kbs.url}/healthz`)).status, 200)
      assert.ok(logger.lines.some((l) => l.level === 'warn' && /plain HTTP/.test(l.message)))
    } finally {
      await kbs.close()
    }
  })
})

describe('startKbsServer refuses what it does not serve', () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      'postgres',
      '[storage_backend]\nstorage_type = "Postgres"\n',
      /storage_backend\.storage_type: storage type "Postgres"/,
    ],
    [
      'sessions',
      'session_storage_type = "Redis"\n[storage_backend]\nstorage_type = "Memory"\n',
      /session_storage_type/,
    ],
    [
      'grpc as',
      '[attestation_service]\ntype = "coco_as_grpc"\nas_addr = "http://as:50004"\n',
      /attestation_service\.type/,
    ],
    [
      'vault',
      '[storage_backend]\nstorage_type = "Memory"\n[[plugins]]\nname = "resource"\nstorage_backend_type = "Vault"\n',
      /plugins\[0\]\.type: the "Vault" resource backend/,
    ],
    ['nebula', '[storage_backend]\nstorage_type = "Memory"\n[[plugins]]\nname = "nebula-ca"\n', /plugins\[0\]\.name/],
  ]
  for (const [name, toml, message] of cases) {
    it(`rejects ${name} at start-up, naming the key and the file`, async () => {
      const { config } = parseKbsConfig(`${toml}[http_server]\ninsecure_http = true\n`, { fileName: `${name}.toml` })
      await assert.rejects(
        startKbsServer({ config, configPath: `/etc/${name}.toml`, listen: '127.0.0.1:0', logger: capturingLogger() }),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'NOT_SERVED')
          assert.match(error.message, message)
          assert.match(error.message, new RegExp(`/etc/${name}\\.toml`))
          return true
        },
      )
    })
  }

  it('reports a busy port as LISTEN and leaves nothing running', async () => {
    const { config } = parseKbsConfig(
      '[http_server]\ninsecure_http = true\n[admin]\ntype = "DenyAll"\n[storage_backend]\nstorage_type = "Memory"\n',
      { fileName: 'busy.toml' },
    )
    const first = await startKbsServer({ config, listen: '127.0.0.1:0', logger: capturingLogger() })
    try {
      const port = new URL(first.url).port
      await assert.rejects(startKbsServer({ config, listen: `127.0.0.1:${port}`, logger: capturingLogger() }), {
        code: 'LISTEN',
        message: new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}`),
      })
    } finally {
      await first.close()
    }
  })

  it('rejects a malformed --listen and HTTPS without key paths', async () => {
    await assert.rejects(startKbsServer({ dataDir: join(temp.dir, 'l'), listen: 'nope', logger: capturingLogger() }), {
      code: 'INVALID_ARGUMENT',
    })
    const { config } = parseKbsConfig('[storage_backend]\nstorage_type = "Memory"\n[admin]\ntype = "DenyAll"\n', {
      fileName: 'k.toml',
    })
    await assert.rejects(startKbsServer({ config, listen: '127.0.0.1:0', logger: capturingLogger() }), {
      code: 'KEY_MATERIAL',
      message: /http_server\.private_key/,
    })
  })
})
