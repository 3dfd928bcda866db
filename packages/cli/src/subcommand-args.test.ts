import assert from 'node:assert/strict'
import { test } from 'node:test'
import { splitSubcommand } from './subcommand-args.ts'

test('splitSubcommand skips leading flags and their values, keeping them for the subcommand', () => {
  const split = (args: string[]) => splitSubcommand(args, ['url', 'path'], ['attest', 'config'], 'command')
  assert.deepEqual(split(['--url', 'U', '--x', 'attest', '--path', 'p']), {
    name: 'attest',
    rest: ['--url', 'U', '--x', '--path', 'p'],
  })
  assert.deepEqual(split(['--url=config', 'config', 'attest']), { name: 'config', rest: ['--url=config', 'attest'] })
  assert.throws(() => split(['--url', 'attest']), /missing command: one of attest, config/)
  assert.throws(() => split(['--', 'attest']), /missing command/)
  assert.throws(() => split(['x']), /unknown command "x"/)
})
