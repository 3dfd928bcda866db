import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { captureIo } from '../captured-io.ts'
import { main } from '../main.ts'
import { createClientCommand } from './client.ts'

// No KBS listens on port 1: a usage error must be reported before any connection is tried.
const command = createClientCommand({ env: { CARAPACE_DATA_DIR: '/nonexistent' }, now: Date.now })
const url = ['--url', 'https://127.0.0.1:1']

async function run(args: string[]) {
  const io = captureIo()
  const status = await command.run(args, io)
  return { status, err: io.err(), out: io.out() }
}

describe('carapace client: flags', () => {
  const usageErrors: [string[], RegExp][] = [
    [[], /missing client command: one of attest, get-resource, config/],
    [['fetch'], /unknown client command "fetch"/],
    [[...url, 'config'], /missing config command/],
    [[...url, 'config', 'set-secret'], /unknown config command "set-secret"/],
    [[...url, 'get-resource'], /--path repo\/type\/tag is required/],
    [[...url, 'get-resource', '--path', 'a/b'], /--path "a\/b" is not repo\/type\/tag/],
    [[...url, 'get-resource', '--path', 'a/../c'], /is not repo\/type\/tag/],
    [[...url, 'get-resource', '--path', 'a/b/c', '--attestation-token', 't'], /needs --tee-key-file/],
    [[...url, 'attest', '--bogus'], /Unknown option '--bogus'/],
    [[...url, 'attest', 'a', 'b'], /unexpected argument "b"/],
    [['--url', 'ftp://x', 'attest'], /--url must be an http:\/\/ or https:\/\/ URL/],
    [['--url', 'not a url', 'attest'], /is not a URL/],
    [[...url, 'config', 'set-resource', '--path', 'a/b/c'], /--resource-file FILE is required/],
    [[...url, 'config', 'set-resource-policy'], /exactly one of --policy-file/],
    [[...url, 'config', 'set-resource-policy', '--allow-all', '--deny-all'], /exactly one of/],
    [
      [...url, 'config', 'set-attestation-policy', '--policy-file', 'p', '--type', 'json'],
      /--type must be one of rego/,
    ],
    [[...url, 'config', 'set-attestation-policy'], /--policy-file FILE is required/],
    [[...url, 'config', 'set-sample-reference-value', 'svn'], /expected NAME and VALUE/],
    [[...url, 'config', 'set-sample-reference-value', 'svn', 'x', '--as-integer'], /"x" is not a 32-bit integer/],
    [[...url, 'config', 'get-reference-value'], /--id NAME is required/],
    [[...url, 'config', 'get-reference-value', '--id', 'a/b'], /must not contain/],
    [[...url, 'config', 'get-reference-values', 'svn'], /unexpected argument "svn"/],
    [
      [...url, 'config', '--admin-token', 'x.y.z', '--admin-key', 'k', 'delete-resource', '--path', 'a/b/c'],
      /give only one of --admin-token, --admin-key/,
    ],
  ]
  for (const [args, message] of usageErrors) {
    it(`exit 2: ${args.join(' ') || '(nothing)'}`, async () => {
      const r = await run(args)
      assert.equal(r.status, 2, r.err)
      assert.match(r.err, message)
      assert.match(r.err, /Usage: carapace client/)
      assert.equal(r.out, '')
    })
  }

  it('missing files are failures (1) naming the flag and the file', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['--cert-file', '/nonexistent/cert.pem', 'attest'],
        /cannot read --cert-file \/nonexistent\/cert\.pem: no such file/,
      ],
      [
        [...url, 'attest', '--init-data', '/nonexistent/i.toml'],
        /cannot read --init-data \/nonexistent\/i\.toml: no such file/,
      ],
      [
        [...url, 'config', 'set-resource', '--path', 'a/b/c', '--resource-file', '/nonexistent/r'],
        /cannot read --resource-file/,
      ],
      [
        [...url, 'config', '--admin-token-file', '/nonexistent/t', 'delete-resource', '--path', 'a/b/c'],
        /cannot read --admin-token-file/,
      ],
      [[...url, 'attest', 'version = "0.1.0"'], /INIT_DATA: init-data.algorithm: expected a string/],
    ]
    for (const [args, message] of cases) {
      const r = await run(args)
      assert.equal(r.status, 1, r.err)
      assert.match(r.err, message)
      assert.doesNotMatch(r.err, /Usage:|internal error/)
    }
  })

  it('--help anywhere prints the usage with every command', async () => {
    const io = captureIo()
    assert.equal(await main(['client', 'config', 'set-resource', '--help'], io, [command]), 0)
    for (const word of ['attest', 'get-resource', 'set-resource-policy', 'set-sample-reference-value', '--cert-file']) {
      assert.match(io.out(), new RegExp(word))
    }
  })
})
