import assert from 'node:assert/strict'
import { test } from 'node:test'
import { evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { callText } from './call-text-builtin.ts'

const parse = (s: string) => callText('units.parse', [s])
const bytes = (s: string) => callText('units.parse_bytes', [s])

test('units.parse: decimal and binary suffixes, exact results', () => {
  assert.equal(parse('500m'), 0.5)
  assert.equal(parse('0.0000005M'), 0.5)
  assert.equal(parse('1.1Ki'), 1126.4)
  assert.equal(parse('10KI'), 10240)
  assert.equal(parse('"100TI"'), 109951162777600)
  assert.equal(parse('10E'), 10000000000000000000n)
  assert.equal(parse('10Ei'), 11529215046068469760n)
  assert.equal(parse('-3.5E2m'), -0.35)
  assert.equal(parse('1e-2'), 0.01)
  assert.equal(parse('.0'), 0)
  assert.equal(parse('5E'), 5000000000000000000n)
})

test('units.parse errors', () => {
  assert.throws(() => parse(''), /^BuiltinError: units.parse: no amount provided$/)
  assert.throws(() => parse('0.0.0'), /units.parse: could not parse amount to a number/)
  assert.throws(() => parse(' 327Mi '), /units.parse: spaces not allowed in resource strings/)
  assert.throws(() => parse('10mb'), /units.parse: unit mb not recognized/)
  assert.throws(() => parse('1e1234567'), /units.parse: exponent too large/)
})

test('units.parse_bytes: truncated integers', () => {
  assert.equal(bytes('1.1KiB'), 1126)
  assert.equal(bytes('1e-2KB'), 10)
  assert.equal(bytes('3.2E2MiB'), 335544320)
  assert.equal(bytes('10eib'), 11529215046068469760n)
  assert.equal(bytes('"100TIB"'), 109951162777600)
  assert.equal(bytes('.5KB'), 500)
})

test('units.parse_bytes errors', () => {
  assert.throws(() => bytes('GB'), /units.parse_bytes: no byte amount provided/)
  assert.throws(() => bytes('.5.2'), /units.parse_bytes: could not parse byte amount to a number/)
  assert.throws(() => bytes('100 kb'), /units.parse_bytes: spaces not allowed in resource strings/)
  assert.throws(() => bytes('1xb'), /units.parse_bytes: byte unit xb not recognized/)
})

test('units charge the exact arithmetic on huge amounts', () => {
  expectLimitError('p := units.parse("1e999999")')
  expectLimitError('p := units.parse_bytes("1e999999")')
  expectLimitError('p := units.parse("1e-999999")')
  expectLimitError('p := units.parse(input)', { input: '7'.repeat(100_000) })
  assert.equal(evalBounded('p := units.parse("1e30")'), 10n ** 30n)
})
