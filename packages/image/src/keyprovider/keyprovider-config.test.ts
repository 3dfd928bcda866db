import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fixtureText } from '../ocicrypt/test-vectors.ts'
import { addProviderKey, configuredKeyUnwrappers, configuredKeyWrappers } from './configured-providers.ts'
import { KeyProviderError } from './keyprovider-error.ts'
import { KEY_PROVIDER_CONFIG_ENV, loadKeyProviderConfig, parseKeyProviderConfig } from './keyprovider-config.ts'

const invalid = (e: unknown): boolean => e instanceof KeyProviderError && e.code === 'INVALID_CONFIG'

describe('OCICRYPT_KEYPROVIDER_CONFIG', () => {
  test('the configs skopeo-up was run with parse (cmd and grpc)', () => {
    // the recording's ocicrypt-cmd.conf / ocicrypt-grpc.conf, inline (their placeholder path kept)
    const cmd = parseKeyProviderConfig(
      '{"key-providers": {"stub": {"cmd": {"path": "/path/to/stub-keyprovider.py", "args": ["--from-ocicrypt"]}}}}',
    )
    assert.deepEqual(
      [...cmd],
      [['stub', { kind: 'cmd', path: '/path/to/stub-keyprovider.py', args: ['--from-ocicrypt'] }]],
    )
    const grpc = parseKeyProviderConfig('{"key-providers": {"attestation-agent": {"grpc": "127.0.0.1:50011"}}}')
    assert.deepEqual([...grpc], [['attestation-agent', { kind: 'grpc', address: '127.0.0.1:50011' }]])
  })

  test('cmd wins over grpc; grpc-tls is read; CDH ttrpc-only entries are skipped; unknown keys ignored', () => {
    const config = parseKeyProviderConfig(
      JSON.stringify({
        'key-providers': {
          both: { cmd: { path: '/bin/kp' }, grpc: 'h:1' },
          tls: {
            grpc: 'kp.example:443',
            'grpc-tls': { 'root-ca-file': '/ca.pem', 'cert-file': '/c.pem', 'key-file': '/k.pem', 'server-name': 'kp' },
            comment: 'x',
          },
          cdh: { ttrpc: 'unix:///run/confidential-containers/cdh.sock' },
        },
      }),
    )
    assert.deepEqual(config.get('both'), { kind: 'cmd', path: '/bin/kp', args: [] })
    assert.deepEqual(config.get('tls'), {
      kind: 'grpc',
      address: 'kp.example:443',
      tls: { rootCaFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem', serverName: 'kp' },
    })
    assert.equal(config.has('cdh'), false)
    assert.equal(configuredKeyWrappers(config, {}).length, 2)
    assert.deepEqual(
      configuredKeyUnwrappers(config, {}).map((u) => u.scheme),
      ['provider.both', 'provider.tls'],
    )
  })

  test('bad configs are INVALID_CONFIG naming the file and key', () => {
    const cases: [string, RegExp][] = [
      ['{', /f\.json: not JSON/],
      ['[]', /not a JSON object/],
      ['{"key-providers": []}', /key-providers is not an object/],
      ['{"key-providers": {"a": 1}}', /key-providers\.a is not an object/],
      ['{"key-providers": {"a": {}}}', /key-providers\.a has neither cmd nor grpc/],
      ['{"key-providers": {"a": {"cmd": {"path": ""}}}}', /cmd\.path/],
      ['{"key-providers": {"a": {"cmd": {"path": "/x", "args": [1]}}}}', /cmd\.args/],
      ['{"key-providers": {"a": {"grpc": "no-port"}}}', /grpc "no-port" is not host:port/],
      ['{"key-providers": {"a": {"grpc": 5}}}', /grpc is not a string/],
      ['{"key-providers": {"a": {"grpc": "h:1", "grpc-tls": {"insecure-skip-verify": true}}}}', /insecure-skip-verify/],
      ['{"key-providers": {"a": {"grpc": "h:1", "grpc-tls": {"cert-file": "/c"}}}}', /both cert-file and key-file/],
      ['{"key-providers": {"a:b": {"grpc": "h:1"}}}', /provider name "a:b"/],
    ]
    for (const [json, message] of cases) {
      assert.throws(
        () => parseKeyProviderConfig(json, 'f.json'),
        (e: unknown) => invalid(e) && message.test(String(e)),
        json,
      )
    }
  })

  test('loaded only from the env var; unset or absent file = no providers; unreadable = error', async () => {
    assert.equal((await loadKeyProviderConfig({ env: {} })).size, 0)
    assert.equal((await loadKeyProviderConfig({ env: { [KEY_PROVIDER_CONFIG_ENV]: '/nonexistent/kp.json' } })).size, 0)
    const text = '{"key-providers": {"aa": {"grpc": "127.0.0.1:50011"}}}'
    const read = (path: string): Promise<string> =>
      path === '/etc/kp.json'
        ? Promise.resolve(text)
        : Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }))
    assert.equal(
      (await loadKeyProviderConfig({ env: { [KEY_PROVIDER_CONFIG_ENV]: '/etc/kp.json' }, readFile: read })).size,
      1,
    )
    await assert.rejects(loadKeyProviderConfig({ env: { [KEY_PROVIDER_CONFIG_ENV]: '/x' }, readFile: read }), invalid)
  })

  test('a recorded ocicrypt request names exactly the parameters addProviderKey builds', () => {
    const params: Record<string, Uint8Array[]> = {}
    addProviderKey(params, 'provider:stub:kid-123')
    addProviderKey(params, 'provider:attestation-agent:keypath=/k::keyid=kbs:///default/key/1::algorithm=A256GCM')
    addProviderKey(params, 'provider:other')
    assert.deepEqual(
      Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.map((b) => Buffer.from(b).toString())])),
      {
        stub: ['kid-123'],
        'attestation-agent': ['keypath=/k::keyid=kbs:///default/key/1::algorithm=A256GCM'],
        other: ['Enabled'],
      },
    )
    assert.ok(
      fixtureText('wire/keyprovider-cmd.jsonl').includes(
        `"stub\\":[\\"${Buffer.from('kid-123').toString('base64')}\\"]`,
      ),
    )
    for (const bad of ['jwe:pub.pem', 'provider:', 'provider::x']) {
      assert.throws(
        () => {
          addProviderKey({}, bad)
        },
        (e: unknown) => e instanceof KeyProviderError && e.code === 'BAD_PARAMETERS',
      )
    }
  })
})
