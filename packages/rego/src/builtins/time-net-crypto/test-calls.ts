import assert from 'node:assert/strict'
import { equal } from '../../value/compare.ts'
import { toRegoText } from '../../value/rego-text.ts'
import type { Value } from '../../value/value.ts'
import { BuiltinError, type BuiltinContext, type BuiltinDef, type BuiltinErrorCode } from '../builtin.ts'
import { timeNetCryptoBuiltins } from './index.ts'

/** Support for this folder's unit tests: call a builtin directly with values. */

export function testContext(nowNs = 1_700_000_000_000_000_000n): BuiltinContext {
  return { strict: true, nowNs, random: () => 0.5, memo: new Map(), location: undefined }
}

export function definition(name: string): BuiltinDef {
  const def = timeNetCryptoBuiltins.find((b) => b.name === name)
  assert.ok(def, `no builtin ${name}`)
  return def
}

export function call(name: string, args: readonly Value[], ctx: BuiltinContext = testContext()): Value | undefined {
  const def = definition(name)
  assert.equal(args.length, def.arity, `${name} takes ${def.arity} operands`)
  return def.fn(args, ctx)
}

/** Assert the call's result equals `want` by Rego equality. */
export function expectResult(name: string, args: readonly Value[], want: Value, ctx?: BuiltinContext): void {
  const got = call(name, args, ctx)
  assert.ok(got !== undefined, `${name}(${args.map(toRegoText).join(', ')}) is undefined`)
  assert.ok(
    equal(got, want),
    `${name}(${args.map(toRegoText).join(', ')}) = ${toRegoText(got)}, want ${toRegoText(want)}`,
  )
}

/** Assert the call fails with `code` and a message equal to (string) or matching (RegExp) `message`. */
export function expectError(
  name: string,
  args: readonly Value[],
  code: BuiltinErrorCode,
  message: string | RegExp,
  ctx?: BuiltinContext,
): void {
  assert.throws(
    () => call(name, args, ctx),
    (e: unknown) => {
      assert.ok(e instanceof BuiltinError, `not a BuiltinError: ${String(e)}`)
      if (typeof message === 'string') assert.equal(e.message, message)
      else assert.match(e.message, message)
      assert.equal(e.code, code)
      return true
    },
  )
}
