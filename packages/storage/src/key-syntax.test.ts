import assert from 'node:assert/strict'
import { test } from 'node:test'
import { StorageError } from './errors.ts'
import { checkKey, checkNamespace, checkPrefix, checkValue } from './key-syntax.ts'
import { INVALID_NAMES } from './storage-contract.ts'

const VALID = [
  'a',
  'A-z_0.9',
  'repo/type/tag',
  'default/key/one',
  'a..b',
  'a/b..',
  'x.',
  '-/_',
  '0',
  'policy.rego',
  'k'.repeat(256),
]

function rejects(fn: () => void, mentions: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof StorageError)
    assert.equal(error.code, 'INVALID_KEY')
    assert.ok(error.message.includes(mentions), error.message)
    return true
  })
}

test('valid keys and namespaces pass', () => {
  for (const name of VALID) {
    checkKey('ns', name)
    checkNamespace(name)
  }
})

test('invalid keys and namespaces throw INVALID_KEY naming them and the reason', () => {
  for (const name of INVALID_NAMES) {
    rejects(
      () => {
        checkKey('my_ns', name)
      },
      JSON.stringify(name.slice(0, 80)).slice(0, -1),
    )
    rejects(() => {
      checkNamespace(name)
    }, 'invalid namespace')
  }
  rejects(() => {
    checkKey('my_ns', 'a/../b')
  }, 'in namespace "my_ns": may not contain a ".." segment')
  rejects(() => {
    checkKey('ns', '.env')
  }, 'may not start with "."')
  rejects(() => {
    checkKey('ns', 'x'.repeat(300))
  }, 'longer than 256')
})

test('list prefixes: empty, partial and "/"-terminated are fine; other characters are not', () => {
  for (const prefix of ['', 'a/', 'repo/type/', '.', 'a//']) checkPrefix('ns', prefix)
  for (const prefix of ['a b', 'ü', 'x'.repeat(257)]) {
    rejects(() => {
      checkPrefix('ns', prefix)
    }, 'invalid list prefix')
  }
})

test('values must be Uint8Array (Buffer included)', () => {
  checkValue('ns', 'k', new Uint8Array(1))
  checkValue('ns', 'k', Buffer.from('x'))
  assert.throws(
    () => {
      checkValue('ns', 'k', 'text')
    },
    (e: unknown) => e instanceof StorageError && e.code === 'INVALID_VALUE',
  )
})
