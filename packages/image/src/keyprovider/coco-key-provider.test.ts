import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { encodeKeyWrapRequest, openWithKek, parseAnnotationPacket, parseKeyWrapResponse } from '../ocicrypt/index.ts'
import { createCocoKeyProvider } from './coco-key-provider.ts'
import type { KekRegistrar } from './kek-registrar.ts'
import { kekTable } from './kek-table.ts'
import { KeyProviderError } from './keyprovider-error.ts'
import {
  COCO_KEK,
  COCO_KID,
  grpcExchanges,
  packetOf,
  readRecordedKek,
  scriptedRandom,
} from './keyprovider-test-support.ts'

function recordingRegistrar(): KekRegistrar & { calls: { path: string; kek: Buffer }[] } {
  const calls: { path: string; kek: Buffer }[] = []
  return {
    calls,
    register(path, kek) {
      calls.push({ path, kek: Buffer.from(kek) })
      return Promise.resolve()
    },
  }
}

const coco = grpcExchanges('keyprovider-grpc-coco.jsonl')
const OPTS = Buffer.from('{"symkey":"AAAA","digest":"sha256:00","cipheroptions":{"nonce":"AAAA"}}')
const wrapRequest = (params: string): string =>
  encodeKeyWrapRequest({ 'attestation-agent': [Buffer.from(params)] }, OPTS)

function code(expected: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof KeyProviderError, String(error))
    assert.equal(error.code, expected, error.message)
    return true
  }
}

describe('CoCo attestation-agent provider answers skopeo-up exactly as the recorded provider did', () => {
  test('every recorded WrapKey (keypath KEK) reproduces the recorded response byte for byte and registers the KEK', async () => {
    const wraps = coco.filter((e) => e.method === 'WrapKey')
    assert.equal(wraps.length, 3)
    for (const { request, response } of wraps) {
      const registrar = recordingRegistrar()
      const provider = createCocoKeyProvider({
        registrar,
        readKeyFile: readRecordedKek,
        randomBytes: scriptedRandom(packetOf(response).iv),
      })
      assert.equal(await provider.wrapKey(request), response)
      assert.deepEqual(registrar.calls, [{ path: 'default/image-kek/coco-test', kek: COCO_KEK }])
    }
  })

  test('every recorded UnWrapKey is answered byte for byte when the KEK is known', async () => {
    const unwraps = coco.filter((e) => e.method === 'UnWrapKey')
    assert.equal(unwraps.length, 4)
    const provider = createCocoKeyProvider({ resolveKek: kekTable([[COCO_KID, COCO_KEK]]) })
    for (const { request, response } of unwraps) assert.equal(await provider.unwrapKey(request), response)
  })

  test('the array-output recording (no keypath): a fresh KEK, registered at the keyid, opens the packet', async () => {
    const [exchange] = grpcExchanges('keyprovider-grpc-array-output.jsonl')
    assert.ok(exchange)
    const registrar = recordingRegistrar()
    const kek = Buffer.alloc(32, 7)
    const iv = Buffer.alloc(12, 9)
    const provider = createCocoKeyProvider({ registrar, randomBytes: scriptedRandom(kek, iv) })
    const response = await provider.wrapKey(exchange.request)
    assert.match(response, /^\{"keywrapresults":\{"annotation":"[A-Za-z0-9+/]+=*"\}\}$/)
    assert.deepEqual(registrar.calls, [{ path: 'default/image-key/1', kek }])
    const packet = parseAnnotationPacket(parseKeyWrapResponse(response) ?? Buffer.alloc(0))
    assert.equal(packet.kid, 'kbs:///default/image-key/1')
    assert.equal(packet.wrapType, 'A256GCM')
    assert.deepEqual(packet.iv, iv)
    const recordedOptsData = Buffer.from(
      (JSON.parse(exchange.request) as { keywrapparams: { optsdata: string } }).keywrapparams.optsdata,
      'base64',
    )
    assert.deepEqual(openWithKek(packet, kek), recordedOptsData)
    // same packet shape as what the recorded (serde) provider answered
    assert.deepEqual(Object.keys(packetOf(exchange.response)), Object.keys(packetOf(response)))
  })

  test('no keyid: the KEK is registered under default/image-kek/<uuid> and the packet names it', async () => {
    const registrar = recordingRegistrar()
    const provider = createCocoKeyProvider({ registrar, randomUUID: () => '0d9c1e4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e' })
    const packet = parseAnnotationPacket(
      parseKeyWrapResponse(await provider.wrapKey(wrapRequest('algorithm=A256GCM'))) ?? Buffer.alloc(0),
    )
    assert.equal(packet.kid, 'kbs:///default/image-kek/0d9c1e4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e')
    const [call] = registrar.calls
    assert.ok(call)
    assert.equal(call.path, 'default/image-kek/0d9c1e4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e')
    assert.deepEqual(openWithKek(packet, call.kek), OPTS)
  })

  test('sample=true uses the well-known test KEK and kid, registers nothing', async () => {
    const registrar = recordingRegistrar()
    await assert.rejects(
      createCocoKeyProvider({ registrar }).wrapKey(wrapRequest('sample=true')),
      code('BAD_PARAMETERS'),
    )
    const response = await createCocoKeyProvider({ registrar, allowSample: true }).wrapKey(wrapRequest('sample=true'))
    const packet = parseAnnotationPacket(parseKeyWrapResponse(response) ?? Buffer.alloc(0))
    assert.equal(packet.kid, 'kbs:///default/test-key/1')
    assert.deepEqual(packet.iv, Buffer.alloc(12))
    const sampleKek = Buffer.from('d99b7705b0ba7a168295b3a3367270b0dd9b371bf514ca8b9ba7f0a33711daea', 'hex')
    assert.deepEqual(openWithKek(packet, sampleKek), OPTS)
    assert.equal(registrar.calls.length, 0)
  })

  test('a register failure is the caller’s error, and no packet is returned', async () => {
    const provider = createCocoKeyProvider({
      registrar: { register: () => Promise.reject(new KeyProviderError('KBS_REGISTER_FAILED', 'KBS down')) },
    })
    await assert.rejects(provider.wrapKey(wrapRequest('keyid=kbs:///default/k/1')), code('KBS_REGISTER_FAILED'))
  })
})

describe('CoCo provider refuses bad input with coded errors', () => {
  const provider = createCocoKeyProvider({ registrar: recordingRegistrar(), readKeyFile: readRecordedKek })
  const cases: [string, string, string][] = [
    ['not JSON', '{"op":"keywrap",', 'BAD_REQUEST'],
    ['an unwrap request to WrapKey', coco.find((e) => e.method === 'UnWrapKey')?.request ?? '', 'BAD_REQUEST'],
    [
      'optsdata not base64',
      '{"op":"keywrap","keywrapparams":{"ec":{"Parameters":{}},"optsdata":"%%%"}}',
      'BAD_REQUEST',
    ],
    [
      'no attestation-agent parameters',
      encodeKeyWrapRequest({ stub: [Buffer.from('kid-123')] }, OPTS),
      'BAD_PARAMETERS',
    ],
    [
      'two parameter entries',
      encodeKeyWrapRequest({ 'attestation-agent': [Buffer.from('keyid=/a/b/c'), Buffer.from('keyid=/a/b/d')] }, OPTS),
      'BAD_PARAMETERS',
    ],
    ['not k=v', wrapRequest('keyid'), 'BAD_PARAMETERS'],
    ['unknown key', wrapRequest('colour=blue'), 'BAD_PARAMETERS'],
    ['A256CTR', wrapRequest('algorithm=A256CTR'), 'BAD_PARAMETERS'],
    ['unknown algorithm', wrapRequest('algorithm=A128GCM'), 'BAD_PARAMETERS'],
    ['keyid not a resource', wrapRequest('keyid=kbs:///../etc/passwd'), 'BAD_PARAMETERS'],
    [
      'parameters not UTF-8',
      encodeKeyWrapRequest({ 'attestation-agent': [Buffer.from([0xff, 0xfe])] }, OPTS),
      'BAD_PARAMETERS',
    ],
    ['missing keypath file', wrapRequest('keypath=/nonexistent/kek::keyid=/a/b/c'), 'KEK_UNAVAILABLE'],
  ]
  for (const [name, request, expected] of cases) {
    test(name, async () => {
      await assert.rejects(provider.wrapKey(request), code(expected))
    })
  }

  test('a keypath file that is not 32 bytes', async () => {
    const p = createCocoKeyProvider({ readKeyFile: () => Promise.resolve(Buffer.alloc(16)) })
    await assert.rejects(p.wrapKey(wrapRequest('keypath=/k::keyid=/a/b/c')), code('KEK_UNAVAILABLE'))
  })

  test('keypath= refused when the provider does not allow it', async () => {
    const p = createCocoKeyProvider({
      registrar: recordingRegistrar(),
      readKeyFile: readRecordedKek,
      allowKeyPath: false,
    })
    await assert.rejects(
      p.wrapKey(wrapRequest('keypath=/tmp/vecout/keys/coco-kek.bin::keyid=/a/b/c')),
      code('BAD_PARAMETERS'),
    )
  })

  test('a fresh KEK with no KBS to register it in is refused', async () => {
    await assert.rejects(createCocoKeyProvider().wrapKey(wrapRequest('keyid=/a/b/c')), code('BAD_PARAMETERS'))
  })

  test('UnWrapKey: UNIMPLEMENTED without a KEK source; UNWRAP_FAILED for unknown kid, wrong KEK, bad packet', async () => {
    const unwrap = coco.find((e) => e.method === 'UnWrapKey')?.request ?? ''
    await assert.rejects(createCocoKeyProvider().unwrapKey(unwrap), code('UNIMPLEMENTED'))
    await assert.rejects(createCocoKeyProvider({ resolveKek: kekTable([]) }).unwrapKey(unwrap), code('UNWRAP_FAILED'))
    const wrong = createCocoKeyProvider({ resolveKek: kekTable([[COCO_KID, Buffer.alloc(32)]]) })
    await assert.rejects(wrong.unwrapKey(unwrap), code('UNWRAP_FAILED'))
    const garbage = unwrap.replace(
      /"annotation":"[^"]+"/,
      `"annotation":"${Buffer.from('{"kid":1}').toString('base64')}"`,
    )
    await assert.rejects(createCocoKeyProvider({ resolveKek: kekTable([]) }).unwrapKey(garbage), code('UNWRAP_FAILED'))
    await assert.rejects(
      createCocoKeyProvider({ resolveKek: kekTable([]) }).unwrapKey(coco[0]?.request ?? ''),
      code('BAD_REQUEST'),
    )
  })
})
