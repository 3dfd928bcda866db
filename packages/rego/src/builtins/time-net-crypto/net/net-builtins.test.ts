import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { RegoObject, RegoSet } from '../../../value/value.ts'
import { evalBounded, expectLimitError } from '../../bounds-test-support.ts'
import { expectError, expectResult } from '../test-calls.ts'
import { ipString, parseCIDR, parseIP } from './ip.ts'

describe('Go IP parsing and printing', () => {
  it('parses like net.ParseIP and prints like IP.String', () => {
    const text = (s: string) => {
      const ip = parseIP(s)
      assert.ok(ip, s)
      return ipString(ip)
    }
    assert.equal(text('192.168.1.1'), '192.168.1.1')
    assert.equal(text('::ffff:10.1.2.3'), '10.1.2.3')
    assert.equal(text('2001:DB8:0:0:1:0:0:1'), '2001:db8::1:0:0:1')
    assert.equal(text('::'), '::')
    assert.equal(text('::192.0.2.1'), '::c000:201')
    assert.equal(text('fe80:0:0:0:0:0:0:1'), 'fe80::1')
    for (const bad of ['192.168.01.1', '1.2.3', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '12345::1', '']) {
      assert.equal(parseIP(bad), undefined, bad)
    }
  })

  it('parses CIDRs like net.ParseCIDR', () => {
    assert.deepEqual(Array.from(parseCIDR('10.1.2.3/8').net.ip), [10, 0, 0, 0])
    assert.throws(() => parseCIDR('192.168.1.1/33'), /invalid CIDR address: 192.168.1.1\/33/)
    assert.throws(() => parseCIDR('10.0.0.0'), /invalid CIDR address/)
  })
})

describe('net.cidr_contains and net.cidr_intersects', () => {
  it('test addresses and subnets, IPv4 and IPv6', () => {
    expectResult('net.cidr_contains', ['10.0.0.0/8', '10.1.0.0/24'], true)
    expectResult('net.cidr_contains', ['172.17.0.0/24', '172.17.0.0/16'], false)
    expectResult('net.cidr_contains', ['10.0.0.0/8', '10.1.2.3'], true)
    expectResult('net.cidr_contains', ['2001:4860:4860::8888/32', '2001:4860:4860:1234::8888/40'], true)
    expectResult('net.cidr_contains', ['2001:4860::/96', '2001:4860::/32'], false)
    expectResult('net.cidr_intersects', ['192.168.1.0/25', '192.168.1.64/25'], true)
    expectResult('net.cidr_intersects', ['fd1e:5bfe:8af3:9ddc::/64', '2001:4860:4860::8888/32'], false)
    expectResult('net.cidr_overlap', ['192.168.1.0/28', '192.168.1.67'], false)
  })

  it('fail on malformed input', () => {
    expectError(
      'net.cidr_contains',
      ['not-a-cidr', '1.2.3.4'],
      'eval_builtin_error',
      'invalid CIDR address: not-a-cidr',
    )
    expectError(
      'net.cidr_contains',
      ['10.0.0.0/8', 'nope'],
      'eval_builtin_error',
      'not a valid textual representation of an IP address or CIDR: nope',
    )
    expectError('net.cidr_contains', ['10.0.0.0/8', 5], 'eval_type_error', 'operand 1 must be string but got number')
  })
})

describe('net.cidr_contains_matches', () => {
  it('pairs the indexes of matching entries', () => {
    expectResult('net.cidr_contains_matches', ['1.1.1.0/24', '1.1.1.1'], RegoSet.from([['1.1.1.0/24', '1.1.1.1']]))
    expectResult(
      'net.cidr_contains_matches',
      [
        [['1.1.2.0/24', 1], '1.1.1.0/24'],
        ['1.1.1.1', '1.1.2.1'],
      ],
      RegoSet.from([
        [0, 1],
        [1, 0],
      ]),
    )
    expectResult(
      'net.cidr_contains_matches',
      [RegoObject.from([['k1', '1.1.1.1/24']]), '1.1.1.128'],
      RegoSet.from([['k1', '1.1.1.128']]),
    )
    expectError(
      'net.cidr_contains_matches',
      [['1.1.1.0/24'], ['1.1.1.1', []]],
      'eval_builtin_error',
      'operand 2: element must be string or non-empty array',
    )
  })
})

describe('net.cidr_expand and net.cidr_is_valid', () => {
  it('enumerate and validate', () => {
    expectResult(
      'net.cidr_expand',
      ['192.168.1.1/30'],
      RegoSet.from(['192.168.1.0', '192.168.1.1', '192.168.1.2', '192.168.1.3']),
    )
    expectResult('net.cidr_expand', ['2001:db8::/127'], RegoSet.from(['2001:db8::', '2001:db8::1']))
    expectError('net.cidr_expand', ['192.168.1.1/33'], 'eval_builtin_error', 'invalid CIDR address: 192.168.1.1/33')
    expectResult('net.cidr_is_valid', ['2002::1234:abcd:ffff:c0a8:101/64'], true)
    expectResult('net.cidr_is_valid', ['192.168.1.2'], false)
    expectResult('net.cidr_is_valid', [7], false)
  })

  it('stop at the step and time bounds on huge networks', () => {
    assert.match(expectLimitError('p := count(net.cidr_expand("10.0.0.0/4"))').message, /step limit/)
    expectLimitError('p := count(net.cidr_expand("fd00::/64"))')
    expectLimitError('p := count(net.cidr_expand("10.0.0.0/8"))', { maxSteps: 1e12, timeoutMs: 50 })
    assert.equal(evalBounded('p := count(net.cidr_expand("10.0.0.0/22"))'), 1024)
  })
})

describe('net.cidr_merge', () => {
  it('merges adjacent and contained networks', () => {
    expectResult('net.cidr_merge', [['192.0.128.0/24', '192.0.129.0/24']], RegoSet.from(['192.0.128.0/23']))
    expectResult('net.cidr_merge', [['192.0.128.0/24', '0.0.0.0/0']], RegoSet.from(['0.0.0.0/0']))
    expectResult(
      'net.cidr_merge',
      [['192.0.2.112/31', '192.0.2.116/31', '192.0.2.118/31']],
      RegoSet.from(['192.0.2.112/31', '192.0.2.116/30']),
    )
    expectResult('net.cidr_merge', [['::/0', '::192.0.2.0/124', 'ff00::101/128']], RegoSet.from(['::/0']))
    expectResult(
      'net.cidr_merge',
      [['2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64']],
      RegoSet.from(['2601:600:8a80:207e::/64']),
    )
    expectResult('net.cidr_merge', [RegoSet.from(['10.0.0.0/9', '10.128.0.0/9'])], RegoSet.from(['10.0.0.0/8']))
    expectResult('net.cidr_merge', [[]], new RegoSet())
  })

  it('gives bare IPv4 addresses their classful mask', () => {
    expectResult('net.cidr_merge', [['192.0.128.0', '192.0.129.0']], RegoSet.from(['192.0.128.0/23']))
    expectResult('net.cidr_merge', [['10.1.2.3']], RegoSet.from(['10.1.2.3/8']))
  })

  it('rejects what OPA rejects', () => {
    expectError('net.cidr_merge', [['2601:600::1']], 'eval_builtin_error', 'IPv6 invalid: needs prefix length')
    expectError('net.cidr_merge', [['foo']], 'eval_builtin_error', 'invalid CIDR address: foo')
    expectError('net.cidr_merge', [[1]], 'eval_builtin_error', 'element must be string')
    expectError('net.cidr_merge', ['10.0.0.0/8'], 'eval_builtin_error', 'operand must be an array')
  })
})

describe('net.cidr_contains_matches and net.cidr_merge on large collections', () => {
  it('charge every pair tested, and every network merged', () => {
    const nets = Array.from({ length: 1_000 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`)
    expectLimitError('p := net.cidr_contains_matches(input, input)', { input: nets })
    expectLimitError('p := net.cidr_merge(input)', {
      input: Array.from({ length: 200_000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`),
    })
    assert.equal(evalBounded('p := count(net.cidr_contains_matches(input, ["10.0.1.0/24"]))', { input: nets }), 1)
  })
})
