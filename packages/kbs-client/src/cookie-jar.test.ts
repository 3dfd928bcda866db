import assert from 'node:assert/strict'
import { test } from 'node:test'
import { CookieJar } from './cookie-jar.ts'

test('stores name=value and sends it back, ignoring Path/HttpOnly', () => {
  const jar = new CookieJar(() => 0)
  jar.store('kbs-session-id=abc123; Path=/kbs; HttpOnly')
  jar.store('other=x')
  assert.equal(jar.get('kbs-session-id'), 'abc123')
  assert.equal(jar.header(), 'kbs-session-id=abc123; other=x')
})

test('Expires in the future keeps the cookie until then, then drops it', () => {
  let now = Date.parse('2026-01-01T00:00:00Z')
  const jar = new CookieJar(() => now)
  jar.store('kbs-session-id=s1; Expires=Thu, 01 Jan 2026 00:05:00 GMT')
  assert.equal(jar.header(), 'kbs-session-id=s1')
  now += 5 * 60 * 1000
  assert.equal(jar.header(), undefined)
  assert.equal(jar.get('kbs-session-id'), undefined)
})

test('an Expires in the past deletes the cookie; Max-Age overrides Expires', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')
  const jar = new CookieJar(() => now)
  jar.store('a=1')
  jar.store('a=2; Expires=Wed, 21 Oct 2015 07:28:00 GMT')
  assert.equal(jar.get('a'), undefined)
  jar.store('b=1; Max-Age=60; Expires=Wed, 21 Oct 2015 07:28:00 GMT')
  assert.equal(jar.get('b'), '1')
  jar.store('b=1; Max-Age=0')
  assert.equal(jar.get('b'), undefined)
})

test('a newer Set-Cookie replaces the value; malformed ones are ignored; clear empties', () => {
  const jar = new CookieJar(() => 0)
  jar.store('kbs-session-id=old')
  jar.store('kbs-session-id=new')
  jar.store('no-equals-sign')
  jar.store('=novalue')
  assert.equal(jar.header(), 'kbs-session-id=new')
  const headers = new Headers([
    ['set-cookie', 'x=1'],
    ['set-cookie', 'y=2'],
  ])
  jar.storeAll(headers)
  assert.equal(jar.header(), 'kbs-session-id=new; x=1; y=2')
  jar.clear()
  assert.equal(jar.header(), undefined)
})
