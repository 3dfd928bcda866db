import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { evalBounded, expectLimitError } from '../../bounds-test-support.ts'
import { expectError, expectResult, testContext } from '../test-calls.ts'

const RFC3339 = '2006-01-02T15:04:05Z07:00'
const TS = 1670006453141828752n // 2022-12-02T18:40:53.141828752Z

describe('time.parse_ns', () => {
  it('reads Go reference layouts and named layouts', () => {
    expectResult('time.parse_ns', [RFC3339, '2017-06-02T19:00:00-07:00'], 1496455200000000000n)
    expectResult('time.parse_ns', ["01/02 03:04:05PM '06 -0700", "06/02 07:00:00PM '17 -0700"], 1496455200000000000n)
    expectResult('time.parse_ns', ['RFC822Z', '02 Jun 17 19:00 -0700'], 1496455200000000000n)
    expectResult('time.parse_ns', ['ANSIC', 'Fri Jun  2 19:00:00 2017'], 1496430000000000000n)
    expectResult('time.parse_ns', ['2006-01-02', '2020-02-29'], 1582934400000000000n)
    expectResult('time.parse_ns', ['Jan _2 2006 15:04:05.000', 'Feb  3 2013 04:05:06.123'], 1359864306123000000n)
    expectResult('time.parse_ns', ['2006-002', '2020-060'], 1582934400000000000n)
    expectResult('time.parse_ns', ['January 2, 2006 3:04pm MST', 'June 2, 2017 7:00pm UTC'], 1496430000000000000n)
  })

  it('accepts a fraction the layout does not mention, and the int64 extremes', () => {
    expectResult('time.parse_ns', [RFC3339, '2017-06-02T19:00:00.5Z'], 1496430000500000000n)
    expectResult('time.parse_ns', [RFC3339, '1677-09-21T00:12:43.145224192-00:00'], -9223372036854775808n)
    expectResult('time.parse_rfc3339_ns', ['2262-04-11T23:47:16.854775807-00:00'], 9223372036854775807n)
  })

  it('reports errors with Go wording', () => {
    expectError(
      'time.parse_ns',
      [RFC3339, '1677-09-21T00:12:43.145224191-00:00'],
      'eval_builtin_error',
      'time outside of valid range',
    )
    expectError(
      'time.parse_ns',
      ['2006-01-02', 'x'],
      'eval_builtin_error',
      'parsing time "x" as "2006-01-02": cannot parse "x" as "2006"',
    )
    expectError(
      'time.parse_ns',
      ['2006-01-02', '2021-02-29'],
      'eval_builtin_error',
      'parsing time "2021-02-29": day out of range',
    )
    expectError(
      'time.parse_ns',
      ['2006-01-02', '2021-13-01'],
      'eval_builtin_error',
      'parsing time "2021-13-01": month out of range',
    )
    expectError('time.parse_ns', ['2006', '2021 x'], 'eval_builtin_error', 'parsing time "2021 x": extra text: " x"')
    expectError('time.parse_ns', [1, 'x'], 'eval_type_error', 'operand 1 must be string but got number')
    expectError(
      'time.parse_rfc3339_ns',
      ['2017-06-02'],
      'eval_builtin_error',
      'parsing time "2017-06-02" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"',
    )
  })
})

describe('time.parse_duration_ns', () => {
  it('follows Go duration syntax', () => {
    expectResult('time.parse_duration_ns', ['100ms'], 100000000)
    expectResult('time.parse_duration_ns', ['1h2m3.5s'], 3723500000000)
    expectResult('time.parse_duration_ns', ['1.5\u00b5s'], 1500)
    expectResult('time.parse_duration_ns', ['-1.5h'], -5400000000000)
    expectResult('time.parse_duration_ns', ['0'], 0)
    expectResult('time.parse_duration_ns', ['2562047h47m16.854775807s'], 9223372036854775807n)
    expectError('time.parse_duration_ns', ['1'], 'eval_builtin_error', 'time: missing unit in duration "1"')
    expectError('time.parse_duration_ns', ['1y'], 'eval_builtin_error', 'time: unknown unit "y" in duration "1y"')
    expectError('time.parse_duration_ns', [''], 'eval_builtin_error', 'time: invalid duration ""')
    expectError('time.parse_duration_ns', ['2562048h'], 'eval_builtin_error', 'time: invalid duration "2562048h"')
  })
})

describe('time.date, time.clock, time.weekday', () => {
  it('read the calendar in UTC or a named zone', () => {
    expectResult('time.date', [1517814000000000000n], [2018, 2, 5])
    expectResult('time.date', [[1517814000000000000n, 'America/Los_Angeles']], [2018, 2, 4])
    expectResult('time.date', [[1517814000000000000n, '']], [2018, 2, 5])
    expectResult('time.clock', [[1517832000000000000n, 'America/New_York']], [7, 0, 0])
    expectResult('time.weekday', [1518350400000000000n], 'Sunday')
    expectResult('time.date', [-1], [1969, 12, 31])
  })

  it('rejects timestamps beyond int64 and unknown zones', () => {
    expectError('time.date', [1582977600 * 1e12], 'eval_builtin_error', 'timestamp too big')
    expectError('time.clock', [1.5], 'eval_builtin_error', 'timestamp too big')
    expectError('time.weekday', [[0, 'Mars/Olympus']], 'eval_builtin_error', 'unknown time zone Mars/Olympus')
    expectError(
      'time.date',
      ['x'],
      'eval_type_error',
      'operand 1 must be either number (ns) or [number (ns), string (tz)] but got string',
    )
    expectError('time.date', [[0, 1]], 'eval_type_error', 'operand 1 must be string but got number')
  })
})

describe('time.format', () => {
  it('formats RFC3339Nano by default, with zones and layouts', () => {
    expectResult('time.format', [TS], '2022-12-02T18:40:53.141828752Z')
    expectResult('time.format', [[TS, 'Asia/Kolkata']], '2022-12-03T00:10:53.141828752+05:30')
    expectResult(
      'time.format',
      [[TS, 'Asia/Kolkata', 'Mon Jan 02 15:04:05 -0700 2006']],
      'Sat Dec 03 00:10:53 +0530 2022',
    )
    expectResult('time.format', [[TS, 'Asia/Kolkata', 'RFC1123Z']], 'Sat, 03 Dec 2022 00:10:53 +0530')
    expectResult('time.format', [[TS, 'America/New_York', 'RFC1123']], 'Fri, 02 Dec 2022 13:40:53 EST')
    expectResult('time.format', [[TS, 'UTC', '3:04PM .000 __2 Z07']], '6:40PM .141 336 Z')
  })
})

describe('time.add_date and time.diff', () => {
  it('normalise like Go', () => {
    expectResult('time.add_date', [1585852421593912000n, 3, 9, 12], 1705257221593912000n)
    expectResult('time.add_date', [1585852421593912000n, -1, -1, -1], 1551465221593912000n)
    // January 31st plus one month is "February 31st", which is March 3rd in 2021.
    expectResult('time.add_date', [1612051200000000000n, 0, 1, 0], 1614729600000000000n)
    expectError('time.add_date', [0, 2262, 1, 1], 'eval_builtin_error', 'time outside of valid range')
    expectError(
      'time.add_date',
      [0, 1.5, 1, 1],
      'eval_type_error',
      'operand 2 must be integer number but got floating-point number',
    )
  })

  it('counts calendar differences', () => {
    const day = (s: string) => BigInt(Date.parse(s)) * 1_000_000n
    expectResult('time.diff', [day('2020-02-02'), day('2020-03-01')], [0, 0, 28, 0, 0, 0])
    expectResult('time.diff', [day('2021-03-01'), day('2021-02-02')], [0, 0, 27, 0, 0, 0])
    expectResult('time.diff', [day('2004-02-29'), day('2005-03-01')], [1, 0, 1, 0, 0, 0])
    expectResult(
      'time.diff',
      [
        [61_000_000_000, 'UTC'],
        [0, 'Asia/Shanghai'],
      ],
      [0, 0, 0, 0, 1, 1],
    )
  })
})

describe('time.now_ns', () => {
  it('is the evaluation clock', () => {
    expectResult('time.now_ns', [], 1234567890123456789n, testContext(1234567890123456789n))
  })
})

describe('time layouts', () => {
  it('are charged by their length', () => {
    expectLimitError('p := time.format([0, "UTC", input])', { input: 'January '.repeat(100_000) })
    expectLimitError('p := time.parse_ns(input, input)', { input: '2006'.repeat(500_000) })
    assert.equal(evalBounded('p := time.format([0, "UTC", "2006"])'), '1970')
  })
})
