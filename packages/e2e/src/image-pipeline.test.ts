import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { after, before, describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { createSampleAttester } from '@carapace/attester'
import { main } from '@carapace/cli'
import { startCdhServer, type RunningCdh } from '@carapace/data-hub'
import { LayoutDestination, OCI_CONFIG, OCI_MANIFEST, sha256Digest } from '@carapace/image'
import { startCarapace, stopCarapace, type Daemon } from './support/carapace-process.ts'
import { startDockerRegistry, type DockerRegistry } from './support/docker-registry.ts'
import { registerSampleReferenceValues } from './support/sample-reference-values.ts'
import { makeTempDataDir, type TempDataDir } from './support/temp-data-dir.ts'
import { startTrustPlane, type TrustPlane } from './support/trust-plane.ts'

// The issue-5 story end to end: an operator encrypts an image with the key provider (its KEK
// registered in the KBS), pushes it to a real docker-registry and signs it; a sample guest attests
// through the CDH, pulls, verifies the signature, decrypts and unpacks. A guest the resource policy
// denies, or a wrong signature, gets an error and no DEST.

/** Releases only repository `default`, and only to fully affirming tokens. */
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

const FILES: Record<string, string> = {
  'app/run.sh': '#!/bin/sh\necho confidential workload\n',
  'app/model.bin': 'weights that must stay encrypted on the host\n',
}

/** A ustar archive of regular files. */
function tar(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = []
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text)
    const h = Buffer.alloc(512)
    h.write(name, 0)
    h.write('0000755\0', 100)
    h.write('0000000\0', 108)
    h.write('0000000\0', 116)
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124)
    h.write(`${(1700000000).toString(8).padStart(11, '0')}\0`, 136)
    h.write('0', 156)
    h.write('ustar\x0000', 257, 'latin1')
    h.fill(' ', 148, 156)
    let sum = 0
    for (const b of h) sum += b
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512))
  }
  blocks.push(Buffer.alloc(1024))
  return Buffer.concat(blocks)
}

async function writePlainImage(dir: string): Promise<void> {
  const dest = new LayoutDestination(dir, 'v1')
  const layer = tar(FILES)
  const blob = await dest.putBlob(Readable.from([gzipSync(layer)]))
  const config = Buffer.from(
    JSON.stringify({
      os: 'linux',
      architecture: 'amd64',
      config: { Entrypoint: ['/app/run.sh'] },
      rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] },
    }),
  )
  const c = await dest.putBlob(Readable.from([config]))
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: c.digest, size: c.size },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: blob.digest, size: blob.size }],
  }
  await dest.putManifest({ bytes: Buffer.from(JSON.stringify(manifest)), mediaType: OCI_MANIFEST })
}

async function carapace(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, {
    stdout: (t) => {
      out += t
    },
    stderr: (t) => {
      err += t
    },
  })
  return { code, out, err }
}

describe('encrypted and signed image: key provider → KBS, registry, guest attests, pulls, verifies, unpacks', () => {
  let plane: TrustPlane
  let registry: DockerRegistry
  let provider: Daemon
  let cdh: RunningCdh
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
    registry = await startDockerRegistry()
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
    files.wrongPolicy = join(work.path, 'wrong-policy.json')
    await writeFile(files.wrongPolicy, policy(files.otherKey))
  })
  after(async () => {
    if (previousConfig === undefined) delete process.env.OCICRYPT_KEYPROVIDER_CONFIG
    else process.env.OCICRYPT_KEYPROVIDER_CONFIG = previousConfig
    await cdh.close()
    await stopCarapace(provider)
    await registry.stop()
    await plane.close()
    await work.remove()
  })

  const image = (name: string): string => `docker://${registry.host}/coco/${name}:v1`
  const pull = (name: string, dest: string, policy: string) =>
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
      cdh.url,
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

  it('failing attestation for the key (resource policy denies): error, DEST does not exist', async () => {
    await encryptAndSign('denied', 'kbs:///restricted/image-kek/denied')
    const dest = join(work.path, 'rootfs-denied')
    const pulled = await pull('denied', dest, files.policy ?? '')
    assert.equal(pulled.code, 1)
    assert.match(pulled.err, /KEY_UNWRAP_FAILED|KEY_UNAVAILABLE/)
    assert.match(pulled.err, /restricted\/image-kek\/denied/)
    assert.ok(!(await readdir(work.path)).some((n) => n.includes('rootfs-denied')))
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
