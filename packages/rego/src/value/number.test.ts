import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  add,
  compareNumbers,
  divide,
  formatNumber,
  isInteger,
  multiply,
  negate,
  normalizeBig,
  parseNumberLiteral,
  remainder,
  subtract,
  toBigInt,
} from './number.ts'

const MAX = Number.MAX_SAFE_INTEGER

describe('number representation', () => {
  it('keeps bigints only beyond the safe range', () => {
    assert.equal(normalizeBig(5n), 5)
    assert.equal(normalizeBig(BigInt(MAX)), MAX)
    assert.equal(normalizeBig(BigInt(MAX) + 1n), BigInt(MAX) + 1n)
    assert.equal(normalizeBig(-BigInt(MAX) - 1n), -BigInt(MAX) - 1n)
    assert.equal(isInteger(3), true)
    assert.equal(isInteger(3.5), false)
    assert.equal(isInteger(2n ** 80n), true)
    assert.equal(toBigInt(3), 3n)
    assert.equal(toBigInt(3.5), undefined)
    assert.equal(toBigInt(2n ** 80n), 2n ** 80n)
  })

  it('parses literals exactly', () => {
    assert.equal(parseNumberLiteral('42'), 42)
    assert.equal(parseNumberLiteral('-42'), -42)
    assert.equal(parseNumberLiteral('9007199254740991'), MAX)
    assert.equal(parseNumberLiteral('9007199254740993'), 9007199254740993n)
    assert.equal(parseNumberLiteral('-18446744073709551616'), -18446744073709551616n)
    assert.equal(parseNumberLiteral('1.5'), 1.5)
    assert.equal(parseNumberLiteral('1e3'), 1000)
    assert.equal(parseNumberLiteral('2.5E-3'), 0.0025)
    assert.equal(Object.is(parseNumberLiteral('-0'), 0), true)
    assert.equal(Object.is(parseNumberLiteral('-0.0'), 0), true)
    for (const bad of ['', '-', '01', '1.', '.5', '+1', '1e', '0x10', 'NaN', 'Infinity', ' 1', '1e999']) {
      assert.equal(parseNumberLiteral(bad), undefined, bad)
    }
  })

  it('compares by value', () => {
    assert.equal(compareNumbers(1, 2), -1)
    assert.equal(compareNumbers(2n ** 64n, 1.5), 1)
    assert.equal(compareNumbers(-(2n ** 64n), 1.5), -1)
    assert.equal(compareNumbers(2n ** 64n, 2n ** 64n + 1n), -1)
    assert.equal(compareNumbers(2 ** 64, 2n ** 64n), 0)
  })
})

describe('arithmetic', () => {
  it('is exact on integers of any size', () => {
    assert.equal(add(49649733057, 1), 49649733058)
    assert.equal(add(MAX, 1), BigInt(MAX) + 1n)
    assert.equal(add(MAX, 2), 9007199254740993n)
    assert.equal(subtract(9007199254740993n, 2), MAX)
    assert.equal(multiply(2 ** 40, 2 ** 40), 2n ** 80n)
    assert.equal(multiply(2n ** 80n, 0), 0)
    assert.equal(subtract(2n ** 80n, 2n ** 80n), 0)
    assert.equal(negate(-(BigInt(MAX) + 1n)), BigInt(MAX) + 1n)
    assert.equal(negate(BigInt(MAX) + 1n), -(BigInt(MAX) + 1n))
  })

  it('uses doubles for fractions and never yields -0', () => {
    assert.equal(add(1.5, 1.5), 3)
    assert.equal(add(0.5, 1), 1.5)
    assert.equal(Object.is(multiply(-1.5, 0), 0), true)
    assert.equal(Object.is(multiply(-1, 0), 0), true)
    assert.equal(Object.is(negate(0), 0), true)
    assert.equal(Object.is(divide(0, -5), 0), true)
  })

  it('divides to an integer when exact, otherwise to a double', () => {
    assert.equal(divide(4, 2), 2)
    assert.equal(divide(1, 4), 0.25)
    assert.equal(divide(2n ** 80n, 2n ** 40n), 2 ** 40)
    assert.equal(divide(2n ** 81n, 2), 2n ** 80n)
    assert.equal(divide(1, 0), undefined)
    assert.equal(divide(1.5, 0), undefined)
    assert.equal(divide(-7, 2), -3.5)
  })

  it('takes remainders with the sign of the dividend', () => {
    assert.equal(remainder(7n, 4n), 3)
    assert.equal(remainder(-7n, 4n), -3)
    assert.equal(remainder(7n, -4n), 3)
    assert.equal(remainder(10n, 18446744073709551616n), 10)
    assert.equal(remainder(2n ** 70n + 5n, 2n ** 70n), 5)
    assert.equal(remainder(1n, 0n), undefined)
  })
})

describe('formatNumber', () => {
  it('writes integers in full and fractions in shortest form', () => {
    assert.equal(formatNumber(0), '0')
    assert.equal(formatNumber(-12), '-12')
    assert.equal(formatNumber(123456789123456789123n), '123456789123456789123')
    assert.equal(formatNumber(1.5), '1.5')
    assert.equal(formatNumber(0.1), '0.1')
    assert.equal(formatNumber(1e21), '1000000000000000000000')
    assert.equal(formatNumber(1e30), '1' + '0'.repeat(30))
    assert.equal(formatNumber(-1.5e22), '-15' + '0'.repeat(21))
    assert.equal(formatNumber(2 ** 60), '1152921504606847000')
  })
})
