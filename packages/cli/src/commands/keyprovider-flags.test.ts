import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  encodeKeyUnwrapRequest,
  encodeKeyWrapRequest,
  grpcKeyProviderClient,
  parseAnnotationPacket,
  parseKeyUnwrapResponse,
  parseKeyWrapResponse,
  type KeyProviderClient,
} from '@carapace/image'
import { captureIo } from '../captured-io.ts'
import { makeKeyproviderServe } from './keyprovider-serve.ts'

// Each `keyprovider serve` flag against the running gRPC service: keypath= and sample=true are
// refused unless allowed, UnWrapKey answers only for --unwrap-key KEKs, bad flags are caught up front.

const OPTS = Buffer.from('{"symkey":"c2VjcmV0","cipheroptions":{}}')

interface Serving {
  readonly client: KeyProviderClient
  readonly io: ReturnType<typeof captureIo>
  stop(): Promise<number>
}

async function serve(...flags: string[]): Promise<Serving> {
  let stop: (signal: string) => void = () => undefined
  const command = makeKeyproviderServe(() => new Promise((resolve) => (stop = resolve)))
  const io = captureIo()
  const serving = command.run(['--listen', '127.0.0.1:0', ...flags], io)
  for (let i = 0; i < 200 && !io.out().includes('listening'); i++) await new Promise((r) => setTimeout(r, 20))
  const address = /listening on (\S+)/.exec(io.out())?.[1]
  assert.ok(address !== undefined, io.err())
  return {
    client: grpcKeyProviderClient({ address }),
    io,
    stop: () => {
      stop('SIGTERM')
      return serving
    },
  }
}

function wrapRequest(params: string): string {
  return encodeKeyWrapRequest({ 'attestation-agent': [Buffer.from(params)] }, OPTS)
}

let dir: string
let kekFile: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'carapace-keyprovider-flags-'))
  kekFile = join(dir, 'kek.bin')
  await writeFile(kekFile, randomBytes(32))
})
after(() => rm(dir, { recursive: true, force: true }))

describe('carapace keyprovider serve flags', () => {
  test('by default keypath= and sample=true are refused and UnWrapKey is UNIMPLEMENTED', async () => {
    const s = await serve()
    try {
      await assert.rejects(
        s.client.wrapKey(wrapRequest(`keypath=${kekFile}::keyid=kbs:///default/k/1::algorithm=A256GCM`)),
        /keypath= is not allowed/,
      )
      await assert.rejects(
        s.client.wrapKey(wrapRequest('sample=true::keyid=kbs:///default/k/1::algorithm=A256GCM')),
        /sample=true/,
      )
      await assert.rejects(
        s.client.unwrapKey(encodeKeyUnwrapRequest({}, Buffer.from('{}'))),
        /UnWrapKey is not offered/,
      )
      assert.match(s.io.err(), /WrapKey refused/)
    } finally {
      assert.equal(await s.stop(), 0)
    }
  })

  test('--allow-keypath, --allow-sample and --unwrap-key KID=FILE each turn their feature on', async () => {
    const s = await serve('--allow-keypath', '--allow-sample', '--unwrap-key', `kbs:///default/k/1=${kekFile}`)
    try {
      const wrapped = parseKeyWrapResponse(
        await s.client.wrapKey(wrapRequest(`keypath=${kekFile}::keyid=kbs:///default/k/1::algorithm=A256GCM`)),
      )
      assert.ok(wrapped !== undefined)
      assert.equal(parseAnnotationPacket(wrapped).kid, 'kbs:///default/k/1')
      const unwrapped = parseKeyUnwrapResponse(await s.client.unwrapKey(encodeKeyUnwrapRequest({}, wrapped)))
      assert.deepEqual(unwrapped, OPTS)

      const sample = parseKeyWrapResponse(await s.client.wrapKey(wrapRequest('sample=true::algorithm=A256GCM')))
      assert.ok(sample !== undefined)
      assert.equal(parseAnnotationPacket(sample).kid, 'kbs:///default/test-key/1')
      // a KEK the provider was not given: refused, not guessed
      await assert.rejects(s.client.unwrapKey(encodeKeyUnwrapRequest({}, sample)), /no KEK known/)
    } finally {
      assert.equal(await s.stop(), 0)
    }
  })

  test('flag mistakes are caught before listening', async () => {
    const run = async (...flags: string[]) => {
      const command = makeKeyproviderServe(() => Promise.resolve('SIGTERM'))
      const io = captureIo()
      const code = await command.run(['--listen', '127.0.0.1:0', ...flags], io)
      assert.doesNotMatch(io.out(), /listening/)
      return { code, err: io.err() }
    }
    const noEquals = await run('--unwrap-key', 'no-equals-sign')
    assert.equal(noEquals.code, 2)
    assert.match(noEquals.err, /--unwrap-key needs KID=FILE/)
    assert.equal((await run('--unwrap-key', 'kbs:///default/k/1=')).code, 2)
    assert.equal((await run('--kbs', 'https://127.0.0.1:1')).code, 2)
    assert.match((await run('--kbs-cert', kekFile)).err, /--kbs-cert goes with --kbs/)
    const short = join(dir, 'short.bin')
    await writeFile(short, randomBytes(31))
    const bad = await run('--unwrap-key', `kbs:///default/k/1=${short}`)
    assert.equal(bad.code, 1)
    assert.match(bad.err, /INVALID_CONFIG/)
    assert.match(bad.err, /a KEK is 32/)
    const missing = await run('--kbs', 'https://127.0.0.1:1', '--admin-key', join(dir, 'absent.pem'))
    assert.equal(missing.code, 1)
    assert.match(missing.err, /cannot read KBS admin key/)
  })
})
