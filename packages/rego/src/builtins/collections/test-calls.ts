import assert from 'node:assert/strict'
import { equal } from '../../value/compare.ts'
import { toRegoText } from '../../value/rego-text.ts'
import type { Value } from '../../value/value.ts'
import { BuiltinError, type BuiltinContext, type BuiltinDef, type BuiltinErrorCode } from '../builtin.ts'
import { collectionsBuiltins } from './index.ts'

/** Support for this folder's unit tests: call a builtin directly with values. */

export function testContext(random: () => number = () => 0.5): BuiltinContext {
  return { strict: true, nowNs: 0n, random, memo: new Map(), location: undefined }
}

export function definition(name: string): BuiltinDef {
  const def = collectionsBuiltins.find((b) => b.name === name)
  assert.ok(def, `no builtin ${name}`)
  return def
}

export function call(name: string, args: readonly Value[], ctx: BuiltinContext = testContext()): Value | undefined {
  const def = definition(name)
  assert.equal(args.length, def.arity, `${name} takes ${def.arity} operands`)
  return def.fn(args, ctx)
}

/** Assert the call's result equals `want` by Rego equality (undefined for an undefined result). */
export function expectResult(name: string, args: readonly Value[], want: Value | undefined): void {
  const got = call(name, args)
  if (want === undefined || got === undefined) {
    assert.equal(got, want, `${name}(${args.map(toRegoText).join(', ')})`)
    return
  }
  assert.ok(
    equal(got, want),
    `${name}(${args.map(toRegoText).join(', ')}) = ${toRegoText(got)}, want ${toRegoText(want)}`,
  )
}

export function expectError(name: string, args: readonly Value[], code: BuiltinErrorCode, message: string): void {
  assert.throws(
    () => call(name, args),
    (e: unknown) => {
      assert.ok(e instanceof BuiltinError, `not a BuiltinError: ${String(e)}`)
      assert.equal(e.message, message)
      assert.equal(e.code, code)
      return true
    },
  )
}
