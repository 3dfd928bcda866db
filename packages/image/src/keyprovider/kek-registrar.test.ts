import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { createSampleAttester } from '@carapace/attester'
import { startKbsServer } from '@carapace/kbs'
import type { RunningKbs } from '@carapace/kbs'
import { createKbsAdminClient, createKbsClient, createNodeFetch, mintAdminToken } from '@carapace/kbs-client'
import type { Fetch } from '@carapace/kbs-client'
import {
  cocoKeyUnwrapper,
  encodeKeyUnwrapRequest,
  keyProviderWrapper,
  parseAnnotationPacket,
  parseKbsKeyId,
  parseKeyUnwrapResponse,
} from '../ocicrypt/index.ts'
import type { KeyProviderClient } from '../ocicrypt/index.ts'
import { createCocoKeyProvider } from './coco-key-provider.ts'
import { cocoKeyProviderFromSettings } from './coco-key-provider-settings.ts'
import { addProviderKey } from './configured-providers.ts'
import { grpcKeyProviderClient } from './grpc-client.ts'
import { kbsKekRegistrar } from './kek-registrar.ts'
import { KeyProviderError } from './keyprovider-error.ts'
import { startKeyProviderServer } from './keyprovider-server.ts'

// The whole CoCo key path with a real in-process KBS (the one `carapace kbs serve` runs): ocicrypt's
// WrapKey over gRPC → our provider registers the KEK through the admin API → a sample guest attests
// and fetches that KEK as a resource → it opens the packet.

const OPTS = Buffer.from('{"symkey":"c3ltbWV0cmljIGtleSBvZiB0aGUgbGF5ZXI=","digest":"sha256:00","cipheroptions":{}}')
const dataDir = mkdtempSync(join(tmpdir(), 'carapace-keyprovider-'))
let kbs: RunningKbs
let fetch: Fetch
let adminKeyPem: string

before(async () => {
  kbs = await startKbsServer({
    dataDir,
    listen: '127.0.0.1:0',
    insecureAllowSampleTee: true,
    logger: { log: () => undefined },
  })
  fetch = createNodeFetch({ ca: kbs.certificatePem ?? '' })
  adminKeyPem = readFileSync(kbs.adminPrivateKeyPath ?? '', 'utf8')
  // test-only: release resources to the (never affirming) sample guest
  const admin = createKbsAdminClient({ url: kbs.url, fetch, token: mintAdminToken(adminKeyPem, { ttlSeconds: 60 }) })
  await admin.setResourcePolicy('package policy\n\ndefault allow := true\n')
})
after(async () => {
  await kbs.close()
  rmSync(dataDir, { recursive: true, force: true })
})

async function wrapThroughGrpc(registrarUrl: string, key: string, params: string): Promise<Uint8Array | undefined> {
  return wrapWith(
    createCocoKeyProvider({ registrar: kbsKekRegistrar({ url: registrarUrl, adminKeyPem: key, fetch }) }),
    params,
  )
}

async function wrapWith(provider: KeyProviderClient, params: string): Promise<Uint8Array | undefined> {
  const server = await startKeyProviderServer({ provider, listen: '127.0.0.1:0' })
  try {
    const parameters: Record<string, Uint8Array[]> = {}
    addProviderKey(parameters, `provider:attestation-agent:${params}`)
    const client = grpcKeyProviderClient({ address: server.address })
    return await keyProviderWrapper({ name: 'attestation-agent', client, parameters }).wrapKey(OPTS)
  } finally {
    await server.close()
  }
}

describe('WrapKey registers the KEK in a real KBS before answering', () => {
  test('the attested guest fetches the registered KEK from the KBS and it opens the packet', async () => {
    // configured as `carapace keyprovider serve --kbs URL --admin-key FILE --kbs-cert FILE` would
    const provider = await cocoKeyProviderFromSettings({
      kbsUrl: kbs.url,
      kbsAdminKeyPath: kbs.adminPrivateKeyPath ?? '',
      kbsCaPath: kbs.certificatePath ?? '',
    })
    const annotation = await wrapWith(provider, 'keyid=kbs:///default/image-kek/e2e-app')
    const packet = parseAnnotationPacket(annotation ?? Buffer.alloc(0))
    assert.equal(packet.kid, 'kbs:///default/image-kek/e2e-app')

    const guest = createKbsClient({ url: kbs.url, attester: createSampleAttester(), fetch })
    const fetched: string[] = []
    const unwrapper = cocoKeyUnwrapper({
      getKek: async (kid) => {
        const { resource } = parseKbsKeyId(kid)
        const path = `${resource.repository}/${resource.type}/${resource.tag}`
        fetched.push(path)
        return guest.getResource(path)
      },
    })
    assert.deepEqual(await unwrapper.unwrapKey(annotation ?? Buffer.alloc(0)), OPTS)
    assert.deepEqual(fetched, ['default/image-kek/e2e-app'])
  })

  test('a KBS that refuses the admin token: WrapKey fails, the reason reaches ocicrypt, no key is produced', async () => {
    const stranger = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
    await assert.rejects(
      wrapThroughGrpc(kbs.url, stranger, 'keyid=kbs:///default/image-kek/refused'),
      (error: unknown) => {
        assert.match(
          String(error),
          /KBS_REGISTER_FAILED: cannot register the KEK as KBS resource default\/image-kek\/refused/,
        )
        assert.match(String(error), /UNAUTHORIZED/)
        return true
      },
    )
  })

  test('KBS down: WrapKey fails with a clear error naming the KBS', async () => {
    const down = await startKbsServer({
      dataDir: join(dataDir, 'down'),
      listen: '127.0.0.1:0',
      logger: { log: () => undefined },
    })
    const downKey = readFileSync(down.adminPrivateKeyPath ?? '', 'utf8')
    await down.close()
    await assert.rejects(
      wrapThroughGrpc(down.url, downKey, 'keyid=kbs:///default/image-kek/down'),
      (error: unknown) => {
        assert.match(String(error), new RegExp(`KBS_REGISTER_FAILED: .* at ${down.url} \\(NETWORK`))
        return true
      },
    )
  })

  test('an unusable admin key is refused when the registrar is made', () => {
    assert.throws(
      () => kbsKekRegistrar({ url: kbs.url, adminKeyPem: 'not a key' }),
      (error: unknown) =>
        error instanceof KeyProviderError && error.code === 'INVALID_CONFIG' && /admin private key/.test(error.message),
    )
  })
})

describe('provider settings (the CLI flags)', () => {
  const invalid = (message: RegExp) => (error: unknown) =>
    error instanceof KeyProviderError && error.code === 'INVALID_CONFIG' && message.test(error.message)

  test('are checked up front', async () => {
    await assert.rejects(cocoKeyProviderFromSettings({ kbsUrl: 'https://kbs' }), invalid(/go together/))
    await assert.rejects(
      cocoKeyProviderFromSettings({ kbsUrl: 'https://kbs', kbsAdminKeyPath: join(dataDir, 'absent.pem') }),
      invalid(/cannot read KBS admin key/),
    )
    await assert.rejects(
      cocoKeyProviderFromSettings({ unwrapKeys: [{ kid: 'kbs:///a/b/c', path: kbs.certificatePath ?? '' }] }),
      invalid(/a KEK is 32/),
    )
  })

  test('unwrap keys answer UnWrapKey; without them it is UNIMPLEMENTED', async () => {
    const kekFile = join(dataDir, 'kek.bin')
    writeFileSync(kekFile, Buffer.alloc(32, 5))
    const provider = await cocoKeyProviderFromSettings({
      unwrapKeys: [{ kid: 'kbs:///default/k/1', path: kekFile }],
      allowKeyPath: true,
    })
    const annotation = await wrapWith(provider, `keypath=${kekFile}::keyid=kbs:///default/k/1`)
    const request = encodeKeyUnwrapRequest({}, annotation ?? Buffer.alloc(0))
    assert.deepEqual(parseKeyUnwrapResponse(await provider.unwrapKey(request)), OPTS)
    await assert.rejects((await cocoKeyProviderFromSettings({})).unwrapKey(request), /UnWrapKey is not offered/)
  })

  test('keypath= is refused unless allowKeyPath (the caller would name a file on the provider host)', async () => {
    const kekFile = join(dataDir, 'kek-off.bin')
    writeFileSync(kekFile, Buffer.alloc(32, 6))
    const provider = await cocoKeyProviderFromSettings({})
    await assert.rejects(
      wrapWith(provider, `keypath=${kekFile}::keyid=kbs:///default/k/2`),
      /keypath= is not allowed by this provider/,
    )
  })
})
