import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './rate-limit.js'

describe('createRateLimiter', () => {
  it('allows a burst, refuses the next with a retry time, and refills over time per key', () => {
    let t = 0
    const rl = createRateLimiter({ burst: 3, perSecond: 0.5, now: () => t })
    expect([1, 2, 3].map(() => rl.take('a').allowed)).toEqual([true, true, true])
    expect(rl.take('a')).toEqual({ allowed: false, retryAfter: 2 })
    expect(rl.take('b').allowed).toBe(true)
    t = 2000
    expect(rl.take('a').allowed).toBe(true)
    expect(rl.take('a').allowed).toBe(false)
  })

  it('forgets the stalest keys beyond maxKeys', () => {
    const rl = createRateLimiter({ burst: 1, perSecond: 0.001, now: () => 0, maxKeys: 2 })
    rl.take('a'); rl.take('b'); rl.take('c')
    expect(rl.take('a').allowed).toBe(true) // 'a' was evicted, so it starts with a full bucket
    expect(rl.take('c').allowed).toBe(false)
  })
})
