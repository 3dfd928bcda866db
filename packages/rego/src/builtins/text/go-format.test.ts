import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Value } from '../../value/value.ts'
import { doublingRules, evalBounded, expectLimitError } from '../bounds-test-support.ts'
import { goSprintf } from './go-format.ts'
import { toGoArg } from './sprintf.ts'

function sprintf(format: string, ...values: Value[]): string {
  return goSprintf(format, values.map(toGoArg))
}

const cases: [string, Value[], string][] = [
  // floats: Go's shortest %g switches to exponent form at exponent < -4 or >= 6
  ['%v', [1234567.5], '1.2345675e+06'],
  ['%v', [3.14], '3.14'],
  ['%v', [0.0001], '0.0001'],
  ['%v', [0.00001], '1e-05'],
  ['%v', [123456.7], '123456.7'],
  ['%v', [-0.5], '-0.5'],
  ['%.2f', [3.1415], '3.14'],
  ['%.2f', [0.125], '0.12'],
  ['%.0f', [0.5], '0'],
  ['%.0f', [1.5], '2'],
  ['%e', [1234.5678], '1.234568e+03'],
  ['%g', [1234.5678], '1234.5678'],
  ['%G', [1e-7], '1E-07'],
  ['%.3g', [1234.5678], '1.23e+03'],
  ['%.3v', [3.14159], '3.14'],
  ['%08.3f', [-3.14159], '-003.142'],
  ['%6.2f|', [3.14159], '  3.14|'],
  ['%-8.3e|', [1234.5], '1.234e+03|'],
  ['%+.1e', [-0.000123], '-1.2e-04'],
  ['%x', [3.5], '0x1.cp+01'],
  ['%b', [1.5], '6755399441055744p-52'],
  // integers
  ['%d', [42], '42'],
  ['%5d|%-5d|%05d', [42, 42, 42], '   42|42   |00042'],
  ['%08d', [-42], '-0000042'],
  ['%.3d', [7], '007'],
  ['%8.3d|', [7], '     007|'],
  ['%+d', [5], '+5'],
  ['%x %X %o %b', [255, 255, 8, 5], 'ff FF 10 101'],
  ['%#x %#o', [255, 8], '0xff 010'],
  ['hi %02X.%02X', [127, 1], 'hi 7F.01'],
  ['%c', [65], 'A'],
  ['%q', [65], "'A'"],
  ['%U %#U', [0x1f600, 65], "U+1F600 U+0041 'A'"],
  ['%d', [-9223372036854775808n], '-9223372036854775808'],
  // big integers go through big.Int's Format, which also takes %s
  ['%s', [123456789123456789123n], '123456789123456789123'],
  ['%v', [9223372036854775808n], '9223372036854775808'],
  ['%x', [0x6b14e9f9b0df36a83n], '6b14e9f9b0df36a83'],
  ['%q', [9223372036854775808n], '%!q(big.Int=9223372036854775808)'],
  // strings and Rego text
  ['hi %s', ['there'], 'hi there'],
  ['%q', ['hi"'], '"hi\\""'],
  ['%x', ['hello'], '68656c6c6f'],
  ['% x', ['hi'], '68 69'],
  ['%10s|%-10s|', ['abc', 'abc'], '       abc|abc       |'],
  ['%.2s', ['abcdef'], 'ab'],
  ['%5.1v|', ['abc'], '    a|'],
  ['%v', [['there', 5, 3.14]], '["there", 5, 3.14]'],
  ['%s', [true], 'true'],
  ['%v', [null], 'null'],
  // mismatches and malformed formats, in Go's notation
  ['%d', [1.5], '%!d(float64=1.5)'],
  ['%s', [5], '%!s(int=5)'],
  ['%t', ['x'], '%!t(string=x)'],
  ['%d %d', [1], '1 %!d(MISSING)'],
  ['hi', [1], 'hi%!(EXTRA int=1)'],
  ['%', [], '%!(NOVERB)'],
  ['%%', [], '%'],
  ['%[2]d %[1]d', [1, 2], '2 1'],
  ['%[3]d', [1, 2], '%!d(BADINDEX)'],
  ['%*d', [5, 42], '   42'],
  ['%*d', ['x', 42], '%!(BADWIDTH)42'],
  ['%T %T %T %T', [1, 1.5, 's', 99999999999999999999999n], 'int float64 string *big.Int'],
]

test('goSprintf follows Go fmt', () => {
  for (const [format, values, want] of cases) {
    assert.equal(
      sprintf(format, ...values),
      want,
      `${format} ${JSON.stringify(values, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`,
    )
  }
})

test('a float literal beyond float64 prints as written', () => {
  assert.equal(sprintf('hi %v', 2n * 10n ** 308n), 'hi 2e308')
  assert.equal(sprintf('%v', 25n * 10n ** 307n), '2.5e308')
})

test('sprintf stops at the step bound on huge results', () => {
  expectLimitError(
    'p := count(sprintf(concat("", ["%999999d" | some i in numbers.range(1, 10)]), numbers.range(1, 10)))',
  )
  expectLimitError(`${doublingRules(24)}\np := count(sprintf("%v", [d24]))`)
  expectLimitError('p := count(sprintf("%d", [bits.lsh(1, 1000000)]))')
  assert.equal(evalBounded('p := count(sprintf("%99999d", [1]))'), 99_999)
})
