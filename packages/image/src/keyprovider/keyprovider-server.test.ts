import assert from 'node:assert/strict'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { after, before, describe, test } from 'node:test'
import { Client, ServerCredentials, credentials, status } from '@grpc/grpc-js'
import type { ServiceError } from '@grpc/grpc-js'
import {
  cocoKeyUnwrapper,
  decryptLayer,
  encryptLayer,
  keyProviderUnwrapper,
  keyProviderWrapper,
  openWithKek,
  parseAnnotationPacket,
  parseKeyProviderRequest,
} from '../ocicrypt/index.ts'
import type { KeyProviderClient, LayerDescriptor } from '../ocicrypt/index.ts'
import { createCocoKeyProvider } from './coco-key-provider.ts'
import { addProviderKey, configuredKeyUnwrappers, configuredKeyWrappers } from './configured-providers.ts'
import { grpcKeyProviderClient } from './grpc-client.ts'
import { kekTable } from './kek-table.ts'
import { KeyProviderError } from './keyprovider-error.ts'
import { parseKeyProviderConfig } from './keyprovider-config.ts'
import { startKeyProviderServer } from './keyprovider-server.ts'
import type { RunningKeyProviderServer } from './keyprovider-server.ts'
import { encodeKeyProviderMessage } from './keyprovider-proto.ts'
import { UNWRAP_KEY_PATH, WRAP_KEY_PATH, deserializeJson, serializeJson } from './keyprovider-service.ts'
import { COCO_KEK, COCO_KID, grpcExchanges, readRecordedKek } from './keyprovider-test-support.ts'

const OPTS_FOR_TLS = Buffer.from('{}')

/** Everything the server received, then the real provider's answer. */
function recording(provider: KeyProviderClient): KeyProviderClient & { received: string[] } {
  const received: string[] = []
  return {
    received,
    wrapKey: (json) => (received.push(json), provider.wrapKey(json)),
    unwrapKey: (json) => (received.push(json), provider.unwrapKey(json)),
  }
}

function rawCall(address: string, path: string, payload: Buffer): Promise<{ error?: ServiceError; json?: string }> {
  const client = new Client(address, credentials.createInsecure())
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      path,
      (b: Buffer) => b,
      deserializeJson,
      payload,
      (error: ServiceError | null, json?: string) => {
        client.close()
        resolve(error ? { error } : { json: json ?? '' })
      },
    )
  })
}

const registered = new Map<string, Buffer>()
const provider = recording(
  createCocoKeyProvider({
    registrar: {
      register: (path, kek) => (registered.set(path, Buffer.from(kek)), Promise.resolve()),
    },
    readKeyFile: readRecordedKek,
    allowSample: true,
    resolveKek: async (kid) =>
      await kekTable([[COCO_KID, COCO_KEK], ...[...registered].map(([p, k]) => [`/${p}`, k] as const)])(kid),
  }),
)
let server: RunningKeyProviderServer
before(async () => {
  server = await startKeyProviderServer({ provider, listen: '127.0.0.1:0' })
})
after(() => server.close())

describe('gRPC keyprovider.KeyProviderService over loopback', () => {
  test('ocicrypt requests rebuilt from the recordings reach the server byte for byte, answers as recorded', async () => {
    const client = grpcKeyProviderClient({ address: server.address })
    for (const { method, request, response } of grpcExchanges('keyprovider-grpc-coco.jsonl')) {
      provider.received.length = 0
      const parsed = parseKeyProviderRequest(request)
      const name = 'attestation-agent'
      if (parsed.op === 'keywrap') {
        assert.equal(method, 'WrapKey')
        const wrapper = keyProviderWrapper({ name, client, parameters: parsed.parameters })
        const annotation = await wrapper.wrapKey(parsed.optsData)
        // a fresh iv each time: the packet differs from the recorded one but opens the same way
        const packet = parseAnnotationPacket(annotation ?? Buffer.alloc(0))
        assert.equal(packet.kid, COCO_KID)
        assert.deepEqual(openWithKek(packet, COCO_KEK), parsed.optsData)
        assert.match(response, /^\{"keywrapresults":\{"annotation":"/)
      } else {
        assert.equal(method, 'UnWrapKey')
        const unwrapper = keyProviderUnwrapper({ name, client, parameters: parsed.parameters })
        const optsData = await unwrapper.unwrapKey(parsed.annotation)
        const recorded = JSON.parse(response) as { keyunwrapresults: { optsdata: string } }
        assert.deepEqual(optsData, Buffer.from(recorded.keyunwrapresults.optsdata, 'base64'))
      }
      assert.deepEqual(provider.received, [request])
    }
  })

  test('a layer encrypted through the gRPC provider (config + recipient) decrypts with the registered KEK', async () => {
    const config = parseKeyProviderConfig(
      JSON.stringify({ 'key-providers': { 'attestation-agent': { grpc: server.address } } }),
    )
    const parameters: Record<string, Uint8Array[]> = {}
    addProviderKey(parameters, 'provider:attestation-agent:keyid=kbs:///default/image-kek/app::algorithm=A256GCM')
    const plaintext = randomBytes(100_000)
    const source: LayerDescriptor = {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: `sha256:${createHash('sha256').update(plaintext).digest('hex')}`,
      size: plaintext.length,
    }
    const enc = await encryptLayer(Readable.from([plaintext]), source, configuredKeyWrappers(config, parameters))
    const blob: Buffer[] = []
    await pipeline(enc.stream, collect(blob))
    const descriptor = await enc.finalize()
    assert.ok(descriptor.annotations?.['org.opencontainers.image.enc.keys.provider.attestation-agent'])
    const kek = registered.get('default/image-kek/app')
    assert.equal(kek?.length, 32)

    // guest side: the KEK as the CDH would get it from the KBS
    const guest = cocoKeyUnwrapper({
      getKek: (kid) => Promise.resolve(kid === 'kbs:///default/image-kek/app' ? kek : undefined),
    })
    assert.deepEqual(await decrypt(descriptor, Buffer.concat(blob), [guest]), plaintext)
    // and through the provider's own UnWrapKey (it knows the KEKs it registered)
    const viaProvider = configuredKeyUnwrappers(config, { 'attestation-agent': [Buffer.from('Enabled')] })
    assert.deepEqual(await decrypt(descriptor, Buffer.concat(blob), viaProvider), plaintext)
  })

  test('refusals carry a gRPC status and the coded message; the client surfaces them', async () => {
    const bad = await rawCall(server.address, WRAP_KEY_PATH, serializeJson('{"op":"keywrap"'))
    assert.equal(bad.error?.code, status.INVALID_ARGUMENT)
    assert.match(bad.error.details, /^BAD_REQUEST: key provider request is not JSON/)

    const params = await rawCall(
      server.address,
      WRAP_KEY_PATH,
      serializeJson(
        '{"op":"keywrap","keywrapparams":{"ec":{"Parameters":{"attestation-agent":["Y29sb3VyPWJsdWU="]}},"optsdata":"e30="}}',
      ),
    )
    assert.equal(params.error?.code, status.INVALID_ARGUMENT)
    assert.match(params.error.details, /^BAD_PARAMETERS: .*colour=blue/)

    const wrongOp = await rawCall(
      server.address,
      UNWRAP_KEY_PATH,
      serializeJson('{"op":"keywrap","keywrapparams":{"optsdata":"e30="}}'),
    )
    assert.equal(wrongOp.error?.code, status.INVALID_ARGUMENT)

    const garbage = await rawCall(server.address, WRAP_KEY_PATH, Buffer.from([0x0a, 0xff]))
    assert.notEqual(garbage.error?.code ?? status.OK, status.OK)

    const ok = await rawCall(
      server.address,
      WRAP_KEY_PATH,
      encodeKeyProviderMessage(
        Buffer.from(
          '{"op":"keywrap","keywrapparams":{"ec":{"Parameters":{"attestation-agent":["c2FtcGxlPXRydWU="]}},"optsdata":"e30="}}',
        ),
      ),
    )
    assert.match(ok.json ?? '', /^\{"keywrapresults":\{"annotation":"/)

    const client = grpcKeyProviderClient({ address: server.address })
    await assert.rejects(client.wrapKey('[]'), (error: unknown) => {
      assert.ok(error instanceof KeyProviderError)
      assert.equal(error.code, 'PROVIDER_FAILED')
      assert.match(error.message, /WrapKey: BAD_REQUEST: key provider request is not a JSON object/)
      return true
    })
  })

  test('UnWrapKey is UNIMPLEMENTED on a provider without KEKs, as coco_keyprovider', async () => {
    const bare = await startKeyProviderServer({ provider: createCocoKeyProvider(), listen: '127.0.0.1:0' })
    try {
      const [unwrap] = grpcExchanges('keyprovider-grpc-coco.jsonl').filter((e) => e.method === 'UnWrapKey')
      const answer = await rawCall(bare.address, UNWRAP_KEY_PATH, serializeJson(unwrap?.request ?? ''))
      assert.equal(answer.error?.code, status.UNIMPLEMENTED)
    } finally {
      await bare.close()
    }
  })

  test('a provider that is not listening: PROVIDER_FAILED naming the address', async () => {
    const gone = await startKeyProviderServer({ provider: createCocoKeyProvider(), listen: '127.0.0.1:0' })
    await gone.close()
    const client = grpcKeyProviderClient({ address: gone.address, timeoutMs: 5000 })
    await assert.rejects(client.wrapKey('{}'), (error: unknown) => {
      assert.ok(error instanceof KeyProviderError)
      assert.equal(error.code, 'PROVIDER_FAILED')
      assert.ok(error.message.includes(gone.address), error.message)
      return true
    })
  })

  test('grpc-tls: the client trusts the server through root-ca-file; without it the handshake fails', async () => {
    const certFile = fileURLToPath(new URL('../../fixtures/tls/registry-cert.pem', import.meta.url))
    const keyPem = readFileSync(new URL('../../fixtures/tls/registry-key.pem', import.meta.url))
    const tlsServer = await startKeyProviderServer({
      provider,
      listen: '127.0.0.1:0',
      credentials: ServerCredentials.createSsl(null, [{ private_key: keyPem, cert_chain: readFileSync(certFile) }]),
    })
    try {
      const config = parseKeyProviderConfig(
        JSON.stringify({
          'key-providers': {
            trusted: { grpc: tlsServer.address, 'grpc-tls': { 'root-ca-file': certFile } },
            untrusted: { grpc: tlsServer.address, 'grpc-tls': {} },
            plain: { grpc: tlsServer.address },
          },
        }),
      )
      const on = [Buffer.from('Enabled')]
      const parameters = { trusted: on, untrusted: on, plain: on, 'attestation-agent': [Buffer.from('sample=true')] }
      const [trusted, untrusted, plain] = configuredKeyWrappers(config, parameters)
      assert.ok(trusted && untrusted && plain)
      const packet = parseAnnotationPacket((await trusted.wrapKey(OPTS_FOR_TLS)) ?? Buffer.alloc(0))
      assert.equal(packet.kid, 'kbs:///default/test-key/1')
      await assert.rejects(untrusted.wrapKey(OPTS_FOR_TLS), /PROVIDER_FAILED|certificate|self[- ]signed/i)
      await assert.rejects(plain.wrapKey(OPTS_FOR_TLS), /key provider plain WrapKey failed/)
    } finally {
      await tlsServer.close()
    }
  })

  test('a bad listen address is refused', async () => {
    await assert.rejects(startKeyProviderServer({ provider, listen: 'nowhere' }), /INVALID_CONFIG|not host:port/)
  })
})

function collect(into: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      into.push(chunk)
      callback()
    },
  })
}

async function decrypt(
  descriptor: LayerDescriptor,
  blob: Buffer,
  unwrappers: Parameters<typeof decryptLayer>[1],
): Promise<Buffer> {
  const d = await decryptLayer(descriptor, unwrappers)
  const out: Buffer[] = []
  await pipeline(Readable.from([blob]), d.stream, collect(out))
  await d.verified
  return Buffer.concat(out)
}
