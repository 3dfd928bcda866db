import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { createSampleAttester, type Attester } from '@carapace/attester'
import { startCdhServer, type RunningCdh } from '@carapace/data-hub'
import { OCI_MANIFEST } from '@carapace/image'
import { startCarapace, stopCarapace, type Daemon } from './support/carapace-process.ts'
import { startRegistry, type LocalRegistry } from '@carapace/image/test-registry'
import { carapace, FILES, writePlainImage } from './support/plain-image.ts'
import { registerSampleReferenceValues } from './support/sample-reference-values.ts'
import { makeTempDataDir, type TempDataDir } from './support/temp-data-dir.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

// The issue-5 story end to end: an operator encrypts an image with the key provider (its KEK
// registered in the KBS), pushes it to a real docker-registry and signs it; a sample guest attests
// through the CDH, pulls, verifies the signature, decrypts and unpacks. A guest whose attestation
// fails, a key the resource policy denies, or a wrong signature: an error and no DEST.

/** Releases only repository `default`, and only to fully affirming tokens. */
/** The sample TEE with an svn the reference values do not list: its token is not affirming. */
const UNTRUSTED_GUEST: Attester = {
  tee: 'sample',
  evidence: async (reportData) => {
    const evidence = await createSampleAttester().evidence(reportData)
    return typeof evidence === 'object' && evidence !== null && !Array.isArray(evidence)
      ? { ...evidence, svn: '0' }
      : evidence
  },
}

const RESOURCE_POLICY = `package policy

default allow := false

allow if {
  data["resource-path"][0] == "default"
  count(input.submods) > 0
  every _, submod in input.submods {
    submod["ear.status"] == "affirming"
  }
}
`

describe('encrypted and signed image: key provider → KBS, registry, guest attests, pulls, verifies, unpacks', () => {
  let plane: TrustPlane
  let registry: LocalRegistry
  let provider: Daemon
  let cdh: RunningCdh
  let untrustedCdh: RunningCdh
  let work: TempDataDir
  let certFile: string
  let plain: string
  const files: Record<string, string> = {}
  let previousConfig: string | undefined

  before(async () => {
    plane = await startTrustPlane({ insecureAllowSampleTee: true })
    const admin = plane.admin(await plane.adminToken())
    await registerSampleReferenceValues(admin)
    await admin.setResourcePolicy(RESOURCE_POLICY)
    registry = await startRegistry()
    work = await makeTempDataDir('carapace-e2e-image-')
    certFile = join(work.path, 'kbs-cert.pem')
    await writeFile(certFile, plane.kbs.certificatePem ?? '')
    const adminKey = plane.kbs.adminPrivateKeyPath ?? ''
    provider = await startCarapace(
      [
        'keyprovider',
        'serve',
        '--listen',
        '127.0.0.1:0',
        '--kbs',
        plane.kbs.url,
        '--kbs-cert',
        certFile,
        '--admin-key',
        adminKey,
      ],
      /listening on (\S+)/,
    )
    const ocicryptConfig = join(work.path, 'ocicrypt.json')
    await writeFile(
      ocicryptConfig,
      JSON.stringify({ 'key-providers': { 'attestation-agent': { grpc: provider.found } } }),
    )
    previousConfig = process.env.OCICRYPT_KEYPROVIDER_CONFIG
    process.env.OCICRYPT_KEYPROVIDER_CONFIG = ocicryptConfig
    cdh = await startCdhServer({
      kbsUrl: plane.kbs.url,
      ...(plane.kbs.certificatePem === undefined ? {} : { kbsCertPem: plane.kbs.certificatePem }),
      listen: '127.0.0.1:0',
      attester: createSampleAttester(),
      now: plane.clock.nowMs,
      logger: () => undefined,
    })
    untrustedCdh = await startCdhServer({
      kbsUrl: plane.kbs.url,
      ...(plane.kbs.certificatePem === undefined ? {} : { kbsCertPem: plane.kbs.certificatePem }),
      listen: '127.0.0.1:0',
      attester: UNTRUSTED_GUEST,
      now: plane.clock.nowMs,
      logger: () => undefined,
    })
    files.adminKey = adminKey
    plain = join(work.path, 'plain')
    await writePlainImage(plain)

    const signer = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    files.signingKey = join(work.path, 'cosign.key')
    await writeFile(files.signingKey, signer.privateKey.export({ type: 'pkcs8', format: 'pem' }))
    files.publicKey = join(work.path, 'cosign.pub')
    await writeFile(files.publicKey, signer.publicKey.export({ type: 'spki', format: 'pem' }))
    files.otherKey = join(work.path, 'other.pub')
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    await writeFile(files.otherKey, other.publicKey.export({ type: 'spki', format: 'pem' }))
    files.registriesD = join(work.path, 'registries.d')
    await mkdir(files.registriesD)
    await writeFile(join(files.registriesD, 'default.yaml'), 'default-docker:\n  use-sigstore-attachments: true\n')
    const policy = (keyPath: string): string =>
      JSON.stringify({
        default: [{ type: 'reject' }],
        transports: {
          docker: {
            [`${registry.host}/coco`]: [
              { type: 'sigstoreSigned', keyPath, signedIdentity: { type: 'matchRepoDigestOrExact' } },
            ],
          },
        },
      })
    files.policy = join(work.path, 'policy.json')
    // The guest's policy names the operator's key as a KBS resource: fetched through the CDH.
    await admin.setResource(
      'default/cosign-key/app',
      signer.publicKey.export({ type: 'spki', format: 'pem' }) as Buffer,
    )
    await writeFile(files.policy, policy('kbs:///default/cosign-key/app'))
    // …and the policy itself can come from the KBS too (image-rs's security-policy resource).
    await admin.setResource('default/security-policy/app', Buffer.from(policy('kbs:///default/cosign-key/app')))
    files.localKeyPolicy = join(work.path, 'local-key-policy.json')
    await writeFile(files.localKeyPolicy, policy(files.publicKey))
    files.wrongPolicy = join(work.path, 'wrong-policy.json')
    await writeFile(files.wrongPolicy, policy(files.otherKey))
  })
  after(async () => {
    if (previousConfig === undefined) delete process.env.OCICRYPT_KEYPROVIDER_CONFIG
    else process.env.OCICRYPT_KEYPROVIDER_CONFIG = previousConfig
    await cdh.close()
    await untrustedCdh.close()
    await stopCarapace(provider)
    await registry.stop()
    await plane.close()
    await work.remove()
  })

  const image = (name: string): string => `docker://${registry.host}/coco/${name}:v1`
  const pull = (name: string, dest: string, policy: string, cdhUrl = cdh.url) =>
    carapace(
      'image',
      'pull',
      image(name),
      '--dest',
      dest,
      '--policy',
      policy,
      '--registries.d',
      files.registriesD ?? '',
      '--cdh',
      cdhUrl,
      '--src-tls-verify=false',
    )
  const encryptAndSign = async (name: string, keyid: string): Promise<void> => {
    const enc = await carapace(
      'image',
      'encrypt',
      `oci:${plain}:v1`,
      image(name),
      '--dest-tls-verify=false',
      '--recipient',
      `provider:attestation-agent:keyid=${keyid}::algorithm=A256GCM`,
    )
    assert.equal(enc.code, 0, enc.err)
    const sign = await carapace('image', 'sign', image(name), '--key', files.signingKey ?? '', '--tls-verify=false')
    assert.equal(sign.code, 0, sign.err)
  }

  it('the provider stored a fresh KEK in the KBS; the guest attests, pulls, verifies (policy and key from the KBS), decrypts, unpacks', async () => {
    await encryptAndSign('app', 'kbs:///default/image-kek/app')
    const stored = plane.logger.entries.filter((e) => e.fields['path'] === '/kbs/v0/resource/default/image-kek/app')
    assert.equal(stored.length, 1, 'the key provider registered the KEK once, before answering')
    const dest = join(work.path, 'rootfs-app')
    const pulled = await pull('app', dest, 'kbs:///default/security-policy/app')
    assert.equal(pulled.code, 0, pulled.err)
    assert.match(pulled.out, /accepted signatures: 1/)
    assert.match(pulled.out, /decrypted, provider\.attestation-agent/)
    for (const [name, content] of Object.entries(FILES)) {
      assert.equal(await readFile(join(dest, 'rootfs', name), 'utf8'), content)
    }
    const config = JSON.parse(await readFile(join(dest, 'config.json'), 'utf8')) as { config: { Entrypoint: string[] } }
    assert.deepEqual(config.config.Entrypoint, ['/app/run.sh'])
  })

  it('the registry only ever holds ciphertext', async () => {
    const manifest = (await (
      await fetch(`http://${registry.host}/v2/coco/app/manifests/v1`, {
        headers: { accept: OCI_MANIFEST },
      })
    ).json()) as { layers: { mediaType: string; digest: string }[] }
    assert.equal(manifest.layers[0]?.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted')
    const digest = manifest.layers.at(0)?.digest
    assert.ok(digest !== undefined)
    const blob = Buffer.from(await (await fetch(`http://${registry.host}/v2/coco/app/blobs/${digest}`)).arrayBuffer())
    assert.notEqual(blob.subarray(0, 2).toString('hex'), '1f8b', 'not a plain gzip stream')
  })

  it('a wrong signature: refused before any KEK is fetched, DEST does not exist', async () => {
    const before = plane.logger.entries.length
    const dest = join(work.path, 'rootfs-wrong-sig')
    const pulled = await pull('app', dest, files.wrongPolicy ?? '')
    assert.equal(pulled.code, 1)
    assert.match(pulled.err, /INVALID_SIGNATURE/)
    assert.ok(!(await readdir(work.path)).some((n) => n.includes('rootfs-wrong-sig')))
    const resourceReads = plane.logger.entries.slice(before).filter((e) => {
      const path = e.fields['path']
      return typeof path === 'string' && path.startsWith('/kbs/v0/resource/')
    })
    assert.deepEqual(resourceReads, [])
  })

  it('a KEK in a repository the resource policy denies (attestation fine): error, DEST does not exist', async () => {
    await encryptAndSign('denied', 'kbs:///restricted/image-kek/denied')
    const dest = join(work.path, 'rootfs-denied')
    const pulled = await pull('denied', dest, files.policy ?? '')
    assert.equal(pulled.code, 1)
    assert.match(pulled.err, /KEY_UNWRAP_FAILED|KEY_UNAVAILABLE/)
    assert.match(pulled.err, /restricted\/image-kek\/denied/)
    assert.ok(!(await readdir(work.path)).some((n) => n.includes('rootfs-denied')))
  })

  /** The KBS's log lines for requests to `path` since entry `from`. */
  const requestsTo = (path: string, from: number) =>
    plane.logger.entries.slice(from).filter((e) => e.message === 'request' && e.fields['path'] === path)

  it('a guest whose attestation fails pulls the image the trusted guest got: no KEK released, DEST does not exist', async () => {
    const from = plane.logger.entries.length
    const dest = join(work.path, 'rootfs-untrusted')
    // The signing key is local here, so the signature check passes and the KEK is what is asked for.
    const pulled = await pull('app', dest, files.localKeyPolicy ?? '', untrustedCdh.url)
    assert.equal(pulled.code, 1, pulled.out)
    // the signature verified (local key); the KEK is what failed
    assert.match(pulled.err, /cannot get the KEK kbs:\/\/\/default\/image-kek\/app \(KEY_UNWRAP_FAILED\)/)
    assert.ok(!(await readdir(work.path)).some((n) => n.includes('rootfs-untrusted')))
    const kekReads = requestsTo('/kbs/v0/resource/default/image-kek/app', from)
    assert.ok(kekReads.length > 0, 'the guest asked the KBS for the KEK')
    for (const read of kekReads) assert.ok(Number(read.fields['status']) >= 400, `released: ${JSON.stringify(read)}`)
    const appraisals = plane.logger.entries.slice(from).filter((e) => e.message === 'attestation appraised')
    assert.ok(appraisals.length > 0)
    for (const a of appraisals) assert.match(String(a.fields['summary']), /^cpu0: contraindicated/)
  })

  it('image encrypt --kbs --kbs-cert --admin-key --key-path stores the KEK in the KBS; the attested guest decrypts', async () => {
    const from = plane.logger.entries.length
    const enc = await carapace(
      'image',
      'encrypt',
      `oci:${plain}:v1`,
      image('direct'),
      '--dest-tls-verify=false',
      '--kbs',
      plane.kbs.url,
      '--kbs-cert',
      certFile,
      '--admin-key',
      files.adminKey ?? '',
      '--key-path',
      'default/image-kek/direct',
    )
    assert.equal(enc.code, 0, enc.err)
    assert.match(enc.err, /KEK stored in the KBS as default\/image-kek\/direct/)
    const stored = requestsTo('/kbs/v0/resource/default/image-kek/direct', from)
    assert.deepEqual(
      stored.map((e) => [e.fields['method'], e.fields['status']]),
      [['POST', 200]],
    )
    const sign = await carapace('image', 'sign', image('direct'), '--key', files.signingKey ?? '', '--tls-verify=false')
    assert.equal(sign.code, 0, sign.err)
    const dest = join(work.path, 'rootfs-direct')
    const pulled = await pull('direct', dest, files.policy ?? '')
    assert.equal(pulled.code, 0, pulled.err)
    assert.match(pulled.out, /accepted signatures: 1/)
    for (const [name, content] of Object.entries(FILES)) {
      assert.equal(await readFile(join(dest, 'rootfs', name), 'utf8'), content)
    }
    const released = requestsTo('/kbs/v0/resource/default/image-kek/direct', from).slice(1)
    assert.deepEqual(
      released.map((e) => [e.fields['method'], e.fields['status']]),
      [['GET', 200]],
    )
  })

  it('an unsigned image in the signed scope: NO_SIGNATURE, nothing pulled', async () => {
    const enc = await carapace(
      'image',
      'encrypt',
      `oci:${plain}:v1`,
      image('unsigned'),
      '--dest-tls-verify=false',
      '--recipient',
      'provider:attestation-agent:keyid=kbs:///default/image-kek/unsigned::algorithm=A256GCM',
    )
    assert.equal(enc.code, 0, enc.err)
    const pulled = await pull('unsigned', join(work.path, 'rootfs-unsigned'), files.policy ?? '')
    assert.equal(pulled.code, 1)
    assert.match(pulled.err, /NO_SIGNATURE|signature/i)
    assert.ok(!(await readdir(work.path)).some((n) => n.includes('rootfs-unsigned')))
  })
})
