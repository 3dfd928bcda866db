import assert from 'node:assert/strict'
import { PassThrough, Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'node:test'
import {
  keyProviderUnwrapper,
  keyProviderWrapper,
  openWithKek,
  parseAnnotationPacket,
  parseKeyProviderRequest,
} from '../ocicrypt/index.ts'
import { FIXTURES, wireRecords } from '../ocicrypt/test-vectors.ts'
import { createCocoKeyProvider } from './coco-key-provider.ts'
import { commandKeyProviderClient } from './command-client.ts'
import { addProviderKey, configuredKeyWrappers } from './configured-providers.ts'
import { kekTable } from './kek-table.ts'
import { KeyProviderError } from './keyprovider-error.ts'
import { runKeyProviderCommand } from './keyprovider-command.ts'
import { parseKeyProviderConfig } from './keyprovider-config.ts'
import { COCO_KEK, COCO_KID, grpcExchanges, readRecordedKek } from './keyprovider-test-support.ts'

async function runOnce(
  provider: ReturnType<typeof createCocoKeyProvider>,
  stdin: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: Buffer[] = []
  const err: Buffer[] = []
  stdout.on('data', (c: Buffer) => out.push(c))
  stderr.on('data', (c: Buffer) => err.push(c))
  const code = await runKeyProviderCommand({ provider, stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr })
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }
}

const KEK_FILE = fileURLToPath(new URL('keys/coco-kek.bin', FIXTURES))
const MODULE = new URL('./index.js', import.meta.url).href

/** `node -e …` running our cmd mode, as an OCICRYPT_KEYPROVIDER_CONFIG `cmd` entry would. */
function cmdEntry(): { path: string; args: string[] } {
  const code = [
    `const m = await import(${JSON.stringify(MODULE)})`,
    `const { readFileSync } = await import('node:fs')`,
    `const kek = readFileSync(${JSON.stringify(KEK_FILE)})`,
    `const provider = m.createCocoKeyProvider({ resolveKek: m.kekTable([[${JSON.stringify(COCO_KID)}, kek]]) })`,
    `process.exitCode = await m.runKeyProviderCommand({ provider, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })`,
  ].join(';')
  return { path: process.execPath, args: ['--input-type=module', '-e', code] }
}

describe('cmd mode (stdin → stdout)', () => {
  test('recorded skopeo-up requests get the recorded answers (wrap with keypath, unwrap with a known KEK)', async () => {
    const exchanges = grpcExchanges('keyprovider-grpc-coco.jsonl')
    const wrap = exchanges.find((e) => e.method === 'WrapKey')
    const unwrap = exchanges.find((e) => e.method === 'UnWrapKey')
    assert.ok(wrap && unwrap)
    const registered: string[] = []
    const provider = createCocoKeyProvider({
      readKeyFile: readRecordedKek,
      registrar: { register: (path) => (registered.push(path), Promise.resolve()) },
      resolveKek: kekTable([[COCO_KID, COCO_KEK]]),
    })
    const wrapped = await runOnce(provider, wrap.request)
    assert.equal(wrapped.code, 0)
    assert.equal(wrapped.stderr, '')
    const packet = parseAnnotationPacket(
      Buffer.from(
        (JSON.parse(wrapped.stdout) as { keywrapresults: { annotation: string } }).keywrapresults.annotation,
        'base64',
      ),
    )
    const request = parseKeyProviderRequest(wrap.request)
    assert.ok(request.op === 'keywrap')
    assert.deepEqual(openWithKek(packet, COCO_KEK), request.optsData)
    assert.deepEqual(registered, ['default/image-kek/coco-test'])
    const unwrapped = await runOnce(provider, unwrap.request)
    assert.deepEqual(unwrapped, { code: 0, stdout: unwrap.response, stderr: '' })
  })

  test('refusals: exit 1, the coded reason on stderr, nothing on stdout', async () => {
    const [stubWrap] = wireRecords('keyprovider-cmd.jsonl')
    const stub = await runOnce(createCocoKeyProvider({ providerName: 'stub' }), String(stubWrap?.['stdin']))
    assert.equal(stub.code, 1)
    assert.equal(stub.stdout, '')
    assert.match(stub.stderr, /^BAD_PARAMETERS: .*"kid-123" is not k=v\n$/)
    for (const [input, reason] of [
      ['', /^BAD_REQUEST: the request on stdin is not JSON/],
      ['{"op":"keysmash"}', /^BAD_REQUEST: unknown key provider op "keysmash"/],
      ['null', /^BAD_REQUEST: unknown key provider op undefined/],
    ] as const) {
      const r = await runOnce(createCocoKeyProvider(), input)
      assert.equal(r.code, 1)
      assert.equal(r.stdout, '')
      assert.match(r.stderr, reason)
    }
    const huge = await runOnce(createCocoKeyProvider(), ' '.repeat(1024 * 1024 + 1))
    assert.match(huge.stderr, /^BAD_REQUEST: request on stdin is larger than/)
  })
})

describe('cmd transport client', () => {
  test('sends exactly the recorded skopeo-up stdin bytes (no trailing newline)', async () => {
    // a provider that answers with the stdin it got, as the annotation
    const echo = commandKeyProviderClient({
      path: process.execPath,
      args: [
        '-e',
        `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>process.stdout.write(JSON.stringify({keywrapresults:{annotation:Buffer.from(s).toString('base64')}})))`,
      ],
    })
    const recorded = wireRecords('keyprovider-cmd.jsonl')
    const wrapIn = String(recorded[0]?.['stdin'])
    const parsed = parseKeyProviderRequest(wrapIn)
    assert.ok(parsed.op === 'keywrap')
    const sent = await keyProviderWrapper({ name: 'stub', client: echo, parameters: parsed.parameters }).wrapKey(
      parsed.optsData,
    )
    assert.equal(Buffer.from(sent ?? []).toString(), wrapIn)
  })

  test('our cmd mode as a configured provider: encrypt-side wrap, decrypt-side unwrap', async () => {
    const config = parseKeyProviderConfig(
      JSON.stringify({ 'key-providers': { 'attestation-agent': { cmd: cmdEntry() } } }),
    )
    const parameters: Record<string, Uint8Array[]> = {}
    addProviderKey(parameters, `provider:attestation-agent:keypath=${KEK_FILE}::keyid=${COCO_KID}`)
    const [wrapper] = configuredKeyWrappers(config, parameters)
    assert.ok(wrapper)
    const optsData = Buffer.from('{"symkey":"c2VjcmV0","digest":"sha256:00","cipheroptions":{"nonce":"bm9uY2U="}}')
    const annotation = await wrapper.wrapKey(optsData)
    assert.deepEqual(openWithKek(parseAnnotationPacket(annotation ?? Buffer.alloc(0)), COCO_KEK), optsData)
    const endpoint = config.get('attestation-agent')
    assert.ok(endpoint?.kind === 'cmd')
    const unwrapper = keyProviderUnwrapper({
      name: 'attestation-agent',
      client: commandKeyProviderClient(endpoint),
      parameters: { 'attestation-agent': [Buffer.from('Enabled')] },
    })
    assert.deepEqual(await unwrapper.unwrapKey(annotation ?? Buffer.alloc(0)), optsData)
  })

  test('a failing provider reads as ocicrypt words it; a missing executable is PROVIDER_FAILED', async () => {
    const failing = commandKeyProviderClient({
      path: process.execPath,
      args: ['-e', `process.stderr.write('no KBS');process.exit(3)`],
    })
    await assert.rejects(failing.wrapKey('{}'), (error: unknown) => {
      assert.ok(error instanceof KeyProviderError)
      assert.equal(error.code, 'PROVIDER_FAILED')
      assert.equal(
        error.message,
        `error while retrieving keyprovider protocol command output: Error while running command: ${process.execPath}. stderr: no KBS: exit status 3`,
      )
      return true
    })
    const slow = commandKeyProviderClient({
      path: process.execPath,
      args: ['-e', 'setTimeout(() => {}, 30000)'],
      timeoutMs: 300,
    })
    await assert.rejects(slow.wrapKey('{}'), /did not answer in time/)
    const missing = commandKeyProviderClient({ path: '/nonexistent/keyprovider' })
    await assert.rejects(missing.unwrapKey('{}'), (error: unknown) => {
      assert.ok(error instanceof KeyProviderError && error.code === 'PROVIDER_FAILED')
      assert.match(error.message, /cannot run key provider command \/nonexistent\/keyprovider: .*ENOENT/)
      return true
    })
  })
})
