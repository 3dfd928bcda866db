import assert from 'node:assert/strict'
import { test } from 'node:test'
import { value } from './test-helpers.ts'

test('calls: a variable that is two parameters must get equal arguments', () => {
  const m = 'package t\nsame(x, x) := true'
  assert.equal(value(m, 'data.t.same(1, 1)'), true)
  assert.equal(value(m, 'data.t.same(1, 1.0)'), true)
  assert.equal(value(m, 'data.t.same(1, 2)'), undefined)
})

test('calls: constant and pattern parameters select definitions', () => {
  const m = `package t
name(1) := "one"
name(2) := "two"
sum([a, b]) := a + b
key({"k": v}) := v
first([x, _], _) := x`
  assert.equal(value(m, 'data.t.name(2)'), 'two')
  assert.equal(value(m, 'data.t.name(3)'), undefined)
  assert.equal(value(m, 'data.t.sum([2, 3])'), 5)
  assert.equal(value(m, 'data.t.sum([2])'), undefined)
  assert.equal(value(m, 'data.t.key({"k": 7})'), 7)
  assert.equal(value(m, 'data.t.first([4, 5], 0)'), 4)
})

test('calls: definitions that agree do not conflict; else chains pick the first that holds', () => {
  const m = `package t
f(x) := true if x > 0
f(x) := true if x > 1
g(x) := "big" if { x > 10 } else := "mid" if { x > 5 } else := "small"`
  assert.equal(value(m, 'data.t.f(5)'), true)
  assert.equal(value(m, 'data.t.g(11)'), 'big')
  assert.equal(value(m, 'data.t.g(6)'), 'mid')
  assert.equal(value(m, 'data.t.g(1)'), 'small')
})
