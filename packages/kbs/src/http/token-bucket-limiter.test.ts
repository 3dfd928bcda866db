import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTokenBucketLimiter } from './token-bucket-limiter.ts'

describe('token bucket limiter', () => {
  it('allows a burst, then perSecond requests a second, per client', () => {
    let now = 0
    const limiter = createTokenBucketLimiter({ perSecond: 2, burst: 3, nowMs: () => now })
    for (let i = 0; i < 3; i++) assert.deepEqual(limiter.take('10.0.0.1'), { allowed: true })
    assert.deepEqual(limiter.take('10.0.0.1'), { allowed: false, retryAfterSeconds: 1 })
    assert.deepEqual(limiter.take('10.0.0.2'), { allowed: true })
    now = 500
    assert.deepEqual(limiter.take('10.0.0.1'), { allowed: true })
    assert.equal(limiter.take('10.0.0.1').allowed, false)
    now = 10_000
    for (let i = 0; i < 3; i++) assert.equal(limiter.take('10.0.0.1').allowed, true)
    assert.equal(limiter.take('10.0.0.1').allowed, false)
  })

  it('says how long to wait at a slow rate', () => {
    let now = 0
    const limiter = createTokenBucketLimiter({ perSecond: 0.1, burst: 1, nowMs: () => now })
    assert.equal(limiter.take('a').allowed, true)
    assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterSeconds: 10 })
    now = 4_000
    assert.deepEqual(limiter.take('a'), { allowed: false, retryAfterSeconds: 6 })
  })

  it('tracks at most maxClients, forgetting the least recently seen', () => {
    const limiter = createTokenBucketLimiter({ perSecond: 1, burst: 1, nowMs: () => 0, maxClients: 3 })
    for (const client of ['a', 'b', 'c']) limiter.take(client)
    limiter.take('a')
    limiter.take('d')
    assert.equal(limiter.size, 3)
    assert.equal(limiter.take('a').allowed, false)
    assert.equal(limiter.take('b').allowed, true)
  })
})
