// Real peers: Debian's skopeo 1.9 signs with GPG (--sign-by, gpgme) into a lookaside directory and
// our signedBy verifies it; our cosign signature pushed to docker-registry verifies through the
// registry client. Needs skopeo, gpg and docker-registry (scripts/install-system-deps.sh).
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { copyImage } from '../manifest/copy-image.ts'
import { LayoutSource } from '../layout/layout-source.ts'
import { parseImageReference } from '../reference/image-reference.ts'
import { RegistryDestination, RegistrySource } from '../registry/registry-image.ts'
import { startRegistry, type LocalRegistry } from '../registry/test-support/start-registry.ts'
import { evaluatePolicy } from './policy-evaluate.ts'
import { parsePolicy } from './policy-parse.ts'
import { loadRegistriesD } from './registries-d.ts'
import { readSigningKey } from './cosign-private-key.ts'
import { signImage } from './sign-image.ts'
import { fixtureBytes, PLAIN_DIGEST } from './test-support.ts'

const PLAIN_LAYOUT = fileURLToPath(new URL('../../fixtures/layouts/plain', import.meta.url))

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { env: { ...process.env, ...env }, encoding: 'buffer', maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
          reject(
            new Error(
              missing
                ? `${command} is not installed (run scripts/install-system-deps.sh)`
                : `${command} ${args.join(' ')}: ${stderr.toString()}`,
            ),
          )
          return
        }
        resolve(stdout)
      },
    )
  })
}

let registry: LocalRegistry
let tmp: string
let gnupgHome: string
let registriesDir: string

before(async () => {
  registry = await startRegistry()
  tmp = await mkdtemp(join(tmpdir(), 'carapace-sig-peers-'))
  gnupgHome = join(tmp, 'gnupg')
  await mkdir(gnupgHome, { mode: 0o700 })
  registriesDir = join(tmp, 'registries.d')
  await mkdir(registriesDir)
  await writeFile(
    join(registriesDir, 'local.yaml'),
    `docker:\n  ${registry.host}:\n    lookaside: file://${join(tmp, 'lookaside')}\n    use-sigstore-attachments: true\n`,
  )
})
after(async () => {
  await run('gpgconf', ['--kill', 'gpg-agent'], { GNUPGHOME: gnupgHome }).catch(() => undefined)
  await registry.stop()
  await rm(tmp, { recursive: true, force: true })
})

function policyFor(repo: string, requirement: object): string {
  return JSON.stringify({ default: [{ type: 'reject' }], transports: { docker: { [repo]: [requirement] } } })
}

describe('signature peers', () => {
  test('Debian skopeo --sign-by (GPG, passphrase-less ed25519 key) → our signedBy accepts; other tag and key refused', async () => {
    const env = { GNUPGHOME: gnupgHome }
    await run(
      'gpg',
      [
        '--batch',
        '--passphrase',
        '',
        '--quick-gen-key',
        'Carapace Test <test@carapace.invalid>',
        'ed25519',
        'sign',
        'never',
      ],
      env,
    )
    const colons = (await run('gpg', ['--batch', '--with-colons', '--list-keys'], env)).toString('utf8')
    const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(colons)?.[1]
    assert.ok(fingerprint, colons)
    const keyring = await run('gpg', ['--batch', '--export', fingerprint], env)
    const repo = `${registry.host}/carapace/gpg-signed`
    await run(
      'skopeo',
      [
        '--insecure-policy',
        'copy',
        '--dest-tls-verify=false',
        '--registries.d',
        registriesDir,
        '--sign-by',
        fingerprint,
        `oci:${PLAIN_LAYOUT}:v1`,
        `docker://${repo}:v1`,
      ],
      env,
    )
    await run('skopeo', [
      '--insecure-policy',
      'copy',
      '--dest-tls-verify=false',
      `oci:${PLAIN_LAYOUT}:v1`,
      `docker://${repo}:v2`,
    ])
    const registries = await loadRegistriesD(registriesDir)
    const signedBy = { type: 'signedBy', keyType: 'GPGKeys', keyData: keyring.toString('base64') }
    const verify = async (tag: string, policy: string) => {
      const reference = parseImageReference(`docker://${repo}:${tag}`)
      if (reference.transport !== 'docker') throw new Error('unreachable')
      const source = new RegistrySource(reference.ref, { tlsVerify: false })
      return evaluatePolicy(
        { policy: parsePolicy(policy), registries },
        { reference, source, manifest: await source.getManifest() },
      )
    }
    const d = await verify('v1', policyFor(repo, signedBy))
    assert.deepEqual(d.accepted, [
      {
        format: 'simple-signing',
        dockerReference: `${repo}:v1`,
        manifestDigest: PLAIN_DIGEST,
        signerFingerprint: fingerprint,
      },
    ])
    await assert.rejects(verify('v2', policyFor(repo, signedBy)), {
      code: 'IDENTITY_MISMATCH',
      message: `Signature for identity ${repo}:v1 is not accepted`,
    })
    const wrongKeyring = { ...signedBy, keyData: fixtureBytes('keys/gpg-rsa-pubring.gpg').toString('base64') }
    await assert.rejects(verify('v1', policyFor(repo, wrongKeyring)), {
      code: 'INVALID_SIGNATURE',
      message: /is not accepted/,
    })
  })

  test('our cosign signature pushed to docker-registry as sha256-<hex>.sig verifies through the registry client', async () => {
    const repo = `${registry.host}/carapace/cosign-signed`
    const reference = parseImageReference(`docker://${repo}:v1`)
    if (reference.transport !== 'docker') throw new Error('unreachable')
    await copyImage(new LayoutSource(PLAIN_LAYOUT, 'v1'), new RegistryDestination(reference.ref, { tlsVerify: false }))
    const key = readSigningKey(fixtureBytes('keys/sigstore.private'), 'coco-test-pass')
    const signed = await signImage({
      source: new RegistrySource(reference.ref, { tlsVerify: false }),
      destination: new RegistryDestination(reference.ref, { tlsVerify: false }),
      identity: `${repo}:v1`,
      privateKey: key,
    })
    const tags = (await run('skopeo', ['list-tags', '--tls-verify=false', `docker://${repo}`])).toString('utf8')
    assert.match(tags, new RegExp(signed.signatureTag.replace('.', '\\.')))
    const source = new RegistrySource(reference.ref, { tlsVerify: false })
    const policy = policyFor(repo, {
      type: 'sigstoreSigned',
      keyData: fixtureBytes('keys/sigstore.pub').toString('base64'),
    })
    const d = await evaluatePolicy(
      { policy: parsePolicy(policy), registries: await loadRegistriesD(registriesDir) },
      { reference, source, manifest: await source.getManifest() },
    )
    assert.equal(d.accepted[0]?.dockerReference, `${repo}:v1`)
  })
})
