import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { ProtocolError } from '../errors.ts'
import { canonicalize } from './canonicalize.ts'

function sha384Hex(text: string): string {
  return createHash('sha384').update(text, 'utf8').digest('hex')
}

describe('canonicalize (RFC 8785)', () => {
  it("reproduces Trustee's stated vector", () => {
    const jcs = canonicalize({ b: 1, a: 'test', c: { d: 'e' } })
    assert.equal(jcs, '{"a":"test","b":1,"c":{"d":"e"}}')
    assert.equal(
      sha384Hex(jcs),
      'e71ce8e70d814ba6639c3612ebee0ff1f76f650f8dbb5e47157e0f3f525cd22c4597480a186427c813ca941da78870c3',
    )
  })

  it('serialises the RFC §3.2.2 example (numbers, escapes, literals)', () => {
    const input: unknown = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    )
    assert.equal(
      canonicalize(input),
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    )
  })

  it('orders keys by UTF-16 code units (RFC §3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    }
    const names = [...canonicalize(input).matchAll(/:"([^"]*)"/g)].map((m) => m[1])
    assert.deepEqual(names, [
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ])
  })

  it('writes numbers as ECMAScript does', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [0.000001, '0.000001'],
      [9007199254740992, '9007199254740992'],
      [-1.5, '-1.5'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
    ]
    for (const [n, text] of cases) assert.equal(canonicalize(n), text)
  })

  it('keeps array order and nests', () => {
    assert.equal(canonicalize([3, { z: [], a: {} }, 'x']), '[3,{"a":{},"z":[]},"x"]')
    assert.equal(canonicalize({}), '{}')
    assert.equal(canonicalize(''), '""')
  })

  it('accepts well-formed surrogate pairs and rejects lone surrogates', () => {
    assert.equal(canonicalize('\ud83d\ude00'), '"\ud83d\ude00"')
    assert.throws(() => canonicalize('\ud83d'), ProtocolError)
    assert.throws(() => canonicalize({ '\ude00': 1 }), ProtocolError)
  })

  it('rejects values that have no exact JSON form', () => {
    const bad: unknown[] = [
      NaN,
      Infinity,
      -Infinity,
      undefined,
      1n,
      () => 1,
      Symbol('s'),
      new Date(0),
      new Map(),
      { a: undefined },
      [undefined],
      // eslint-disable-next-line no-sparse-arrays
      [1, , 2],
    ]
    for (const value of bad) {
      assert.throws(
        () => canonicalize(value),
        (e: unknown) => e instanceof ProtocolError && e.code === 'MALFORMED',
      )
    }
    const cyclic: Record<string, unknown> = {}
    cyclic['self'] = cyclic
    assert.throws(() => canonicalize(cyclic), /cyclic/)
  })

  it('allows the same object twice when it is not its own ancestor', () => {
    const shared = { k: 1 }
    assert.equal(canonicalize([shared, shared]), '[{"k":1},{"k":1}]')
  })

  it('accepts null-prototype objects', () => {
    const o = Object.create(null) as Record<string, unknown>
    o['b'] = 2
    o['a'] = 1
    assert.equal(canonicalize(o), '{"a":1,"b":2}')
  })
})
