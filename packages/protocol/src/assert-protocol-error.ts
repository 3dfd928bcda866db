import assert from 'node:assert/strict'
import { ProtocolError, type ProtocolErrorCode } from './errors.ts'

/** Test support: `fn` throws a `ProtocolError` with `code` whose message names `field`. */
export function assertProtocolError(fn: () => unknown, code: ProtocolErrorCode, field: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ProtocolError, String(e))
    assert.equal(e.code, code, e.message)
    assert.ok(e.message.includes(field), `${e.message} should name ${field}`)
    return true
  })
}
