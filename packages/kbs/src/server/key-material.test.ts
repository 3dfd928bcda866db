import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { ensureAdminKeyPair, ensureTlsCertificate, ensureTokenSigningKey } from './key-material.ts'
import { writeNewFile } from './new-file.ts'

const root = mkdtempSync(join(tmpdir(), 'carapace-keys-'))
after(() => {
  rmSync(root, { recursive: true, force: true })
})
const NOW = new Date('2026-12-01T00:00:00Z')
const mode = (path: string): number => statSync(path).mode & 0o777

describe('key material', () => {
  it('generates the TLS key (0600, directory 0700) and certificate once, then reuses them', async () => {
    const keyPath = join(root, 'a', 'tls', 'server-key.pem')
    const certPath = join(root, 'a', 'tls', 'server-cert.pem')
    const first = await ensureTlsCertificate({ keyPath, certPath, now: NOW })
    assert.equal(first.generated, true)
    assert.equal(mode(keyPath), 0o600)
    assert.equal(mode(join(root, 'a', 'tls')), 0o700)
    assert.equal(first.certificate.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1')
    const second = await ensureTlsCertificate({ keyPath, certPath, now: new Date() })
    assert.equal(second.generated, false)
    assert.equal(second.certificate.fingerprint256, first.certificate.fingerprint256)
    assert.equal(readFileSync(keyPath, 'utf8'), first.keyPem)
  })

  it('refuses a half-present or mismatched pair and never overwrites', async () => {
    const keyPath = join(root, 'b', 'key.pem')
    const certPath = join(root, 'b', 'cert.pem')
    await ensureTokenSigningKey({ keyPath, certPath, now: NOW })
    const key = readFileSync(keyPath, 'utf8')
    unlinkSync(certPath)
    await assert.rejects(ensureTokenSigningKey({ keyPath, certPath, now: NOW }), {
      code: 'KEY_MATERIAL',
      message: new RegExp(`${certPath} is missing`),
    })
    assert.equal(readFileSync(keyPath, 'utf8'), key)
    const other = await ensureTlsCertificate({
      keyPath: join(root, 'c', 'k'),
      certPath: join(root, 'c', 'c'),
      now: NOW,
    })
    writeFileSync(certPath, other.certPem)
    await assert.rejects(ensureTokenSigningKey({ keyPath, certPath, now: NOW }), /does not carry the public key/)
    writeFileSync(keyPath, 'not a key')
    await assert.rejects(ensureTokenSigningKey({ keyPath, certPath, now: NOW }), /is not a PEM private key/)
  })

  it('generates a matching Ed25519 admin key pair once', async () => {
    const privateKeyPath = join(root, 'd', 'admin', 'admin-key.pem')
    const publicKeyPath = join(root, 'd', 'admin', 'admin-key.pub.pem')
    assert.equal((await ensureAdminKeyPair({ privateKeyPath, publicKeyPath })).generated, true)
    assert.equal(mode(privateKeyPath), 0o600)
    const privateKey = createPrivateKey(readFileSync(privateKeyPath))
    assert.equal(privateKey.asymmetricKeyType, 'ed25519')
    assert.ok(createPublicKey(privateKey).equals(createPublicKey(readFileSync(publicKeyPath))))
    const before = readFileSync(privateKeyPath, 'utf8')
    assert.equal((await ensureAdminKeyPair({ privateKeyPath, publicKeyPath })).generated, false)
    assert.equal(readFileSync(privateKeyPath, 'utf8'), before)
    unlinkSync(publicKeyPath)
    await assert.rejects(ensureAdminKeyPair({ privateKeyPath, publicKeyPath }), { code: 'KEY_MATERIAL' })
  })
})

describe('writeNewFile', () => {
  it('never replaces a file and reports unwritable places as KEY_MATERIAL, leaving no temp file', async () => {
    const path = join(root, 'e', 'file')
    await writeNewFile(path, 'one', 0o600)
    await assert.rejects(writeNewFile(path, 'two', 0o600), { code: 'KEY_MATERIAL', message: /created meanwhile/ })
    assert.equal(readFileSync(path, 'utf8'), 'one')
    assert.deepEqual(readdirSync(join(root, 'e')), ['file'])
    await assert.rejects(writeNewFile(join(path, 'below'), 'x', 0o600), {
      code: 'KEY_MATERIAL',
      message: /cannot create/,
    })
  })
})
