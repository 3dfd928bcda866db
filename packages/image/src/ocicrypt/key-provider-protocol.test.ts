import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { PUBOPTS_ANNOTATION } from './annotations.ts'
import {
  encodeKeyUnwrapRequest,
  encodeKeyWrapRequest,
  encodeKeyWrapResponse,
  encodeKeyUnwrapResponse,
  parseKeyProviderRequest,
  parseKeyUnwrapResponse,
  parseKeyWrapResponse,
} from './key-provider-protocol.ts'
import { decryptLayer } from './layer-decrypt.ts'
import { encryptLayer } from './layer-encrypt.ts'
import { parsePrivateOptions } from './layer-options.ts'
import { keyProviderUnwrapper, keyProviderWrapper } from './provider-key-wrapper.ts'
import type { KeyProviderClient } from './provider-key-wrapper.ts'
import { blobStream, layoutLayers, wireRecords } from './test-vectors.ts'

function collect(into: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      into.push(chunk)
      callback()
    },
  })
}

function str(record: Record<string, unknown>, key: string): string {
  const v = record[key]
  assert.equal(typeof v, 'string', `record field ${key}`)
  return v as string
}

/** Request/response pairs of a recording, in order. */
function exchanges(file: string, requestKey: string, responseKey: string): { request: string; response: string }[] {
  const records = wireRecords(file)
  const out: { request: string; response: string }[] = []
  for (let i = 0; i + 1 < records.length; i += 2) {
    out.push({ request: str(records[i]!, requestKey), response: str(records[i + 1]!, responseKey) })
  }
  return out
}

const cmd = exchanges('keyprovider-cmd.jsonl', 'stdin', 'stdout')
const grpc = exchanges('keyprovider-grpc-coco.jsonl', 'input', 'output')

/** A provider that answers exactly the recorded requests, and fails the test on any other byte. */
function replayingClient(recorded: { request: string; response: string }[]): KeyProviderClient & { calls: string[] } {
  const calls: string[] = []
  const answer = (request: string): Promise<string> => {
    calls.push(request)
    const hit = recorded.find((r) => r.request === request)
    return hit ? Promise.resolve(hit.response) : Promise.reject(new Error(`unrecorded request ${request}`))
  }
  return { calls, wrapKey: answer, unwrapKey: answer }
}

describe('key-provider JSON (§4.3) is byte-identical to what skopeo sent', () => {
  test('every recorded request re-encodes to the same bytes', () => {
    assert.equal(cmd.length, 2)
    assert.equal(grpc.length, 7)
    for (const { request } of [...cmd, ...grpc]) {
      const parsed = parseKeyProviderRequest(request)
      const again =
        parsed.op === 'keywrap'
          ? encodeKeyWrapRequest(parsed.parameters, parsed.optsData)
          : encodeKeyUnwrapRequest(parsed.parameters, parsed.annotation)
      assert.equal(again, request)
    }
  })

  test('recorded gRPC responses re-encode byte for byte; python stub responses parse', () => {
    for (const { response } of grpc) {
      const o = JSON.parse(response) as Record<string, unknown>
      const again =
        'keywrapresults' in o
          ? encodeKeyWrapResponse(parseKeyWrapResponse(response) ?? Buffer.alloc(0))
          : encodeKeyUnwrapResponse(parseKeyUnwrapResponse(response))
      assert.equal(again, response)
    }
    const [wrap, unwrap] = cmd
    assert.ok(wrap && unwrap)
    assert.match(String(parseKeyWrapResponse(wrap.response)), /^\{"kid": "kid-123"/)
    const privopts = parsePrivateOptions(parseKeyUnwrapResponse(unwrap.response))
    assert.equal(privopts.digest, 'sha256:f04b9fbf7b7f1bc5587381520dce9ff7e8a3d23160f3a9806134d1c1566adfc3')
  })

  test('an annotation sent as a JSON byte array (serde Vec<u8>) is accepted', () => {
    const [, out] = wireRecords('keyprovider-grpc-array-output.jsonl')
    assert.ok(out)
    const annotation = parseKeyWrapResponse(str(out, 'output'))
    assert.ok(annotation)
    assert.match(annotation.toString('utf8'), /^\{"kid":"keyid=kbs:\/\/\/default\/image-key\/1"/)
  })

  test('malformed provider answers are PROVIDER_FAILED; an empty annotation is no key', () => {
    assert.throws(() => parseKeyWrapResponse('not json'), { code: 'PROVIDER_FAILED' })
    assert.throws(() => parseKeyWrapResponse('{"keywrapresults":{"annotation":"@@"}}'), { code: 'PROVIDER_FAILED' })
    assert.throws(() => parseKeyWrapResponse('{"keywrapresults":{"annotation":[256]}}'), { code: 'PROVIDER_FAILED' })
    assert.throws(() => parseKeyUnwrapResponse('{"keyunwrapresults":{}}'), { code: 'PROVIDER_FAILED' })
    assert.throws(() => parseKeyProviderRequest('{"op":"other"}'), { code: 'PROVIDER_FAILED' })
    assert.equal(parseKeyWrapResponse('{"keywrapresults":{"annotation":""}}'), undefined)
    assert.equal(parseKeyWrapResponse('{"keywrapresults":{}}'), undefined)
  })
})

describe('generic key-provider wrapper against the recordings', () => {
  test('enc-kp-cmd and enc-coco-grpc decrypt through the replayed provider (UnWrapKey bytes as recorded)', async () => {
    const cases = [
      { layout: 'enc-kp-cmd', name: 'stub', param: 'extra-dc-param', recorded: cmd },
      { layout: 'enc-coco-grpc', name: 'attestation-agent', param: 'Enabled', recorded: grpc },
    ]
    for (const c of cases) {
      const client = replayingClient(c.recorded)
      const unwrapper = keyProviderUnwrapper({ name: c.name, client, parameters: { [c.name]: [Buffer.from(c.param)] } })
      for (const layer of layoutLayers(c.layout)) {
        const d = await decryptLayer(layer, [unwrapper])
        await pipeline(blobStream(c.layout, layer.digest), d.stream, collect([]))
        await d.verified
      }
      assert.equal(client.calls.length, layoutLayers(c.layout).length)
    }
  })

  test('given skopeo’s layer key, we rebuild the enc-kp-cmd layer descriptor exactly (blob, pubopts, provider annotation)', async () => {
    const [layer] = layoutLayers('enc-kp-cmd')
    assert.ok(layer)
    const [wrapExchange] = cmd
    assert.ok(wrapExchange)
    const request = parseKeyProviderRequest(wrapExchange.request)
    assert.ok(request.op === 'keywrap')
    const privopts = parsePrivateOptions(request.optsData)
    // plaintext first, with the provider replaying the recorded UnWrapKey
    const client = replayingClient(cmd)
    const d = await decryptLayer(layer, [
      keyProviderUnwrapper({ name: 'stub', client, parameters: { stub: [Buffer.from('extra-dc-param')] } }),
    ])
    const plain: Buffer[] = []
    await pipeline(blobStream('enc-kp-cmd', layer.digest), d.stream, collect(plain))
    const randoms = [privopts.symkey, privopts.nonce]
    const source = { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: privopts.digest, size: 268 }
    const enc = await encryptLayer(
      Readable.from([Buffer.concat(plain)]),
      source,
      [keyProviderWrapper({ name: 'stub', client, parameters: { stub: [Buffer.from('kid-123')] } })],
      { randomBytes: () => randoms.shift() ?? Buffer.alloc(0) },
    )
    assert.equal(client.calls.at(-1), wrapExchange.request, 'WrapKey request byte-identical to skopeo-up')
    const cipher: Buffer[] = []
    await pipeline(enc.stream, collect(cipher))
    const descriptor = await enc.finalize()
    assert.deepEqual(descriptor, layer)
    assert.ok(descriptor.annotations?.[PUBOPTS_ANNOTATION])
  })

  test('a provider not named in the parameters is not asked; a failing provider is PROVIDER_FAILED', async () => {
    const client = replayingClient([])
    const silent = keyProviderWrapper({ name: 'stub', client, parameters: { other: [Buffer.from('x')] } })
    assert.equal(await silent.wrapKey(Buffer.from('{}')), undefined)
    assert.equal(client.calls.length, 0)
    const failing = keyProviderWrapper({ name: 'stub', client, parameters: { stub: [Buffer.from('x')] } })
    await assert.rejects(failing.wrapKey(Buffer.from('{}')), (e: unknown) => {
      return e instanceof Error && 'code' in e && e.code === 'PROVIDER_FAILED' && /unrecorded request/.test(e.message)
    })
  })
})
