import { describe, expect, it } from 'vitest'
import { estimateClock, median, mergeOffset, sampleOffset } from './clock-math.js'

describe('sampleOffset', () => {
  it('places the server reading at the midpoint of the round trip', () => {
    // Local clock 1000 ms behind the server, 10 ms each way.
    expect(sampleOffset({ t0: 0, t1: 20, serverTime: 1010 })).toEqual({ offsetMs: 1000, rttMs: 20 })
  })
})

describe('median', () => {
  it('handles odd and even counts and rejects empty input', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 2, 3])).toBe(2.5)
    expect(() => median([])).toThrow(RangeError)
  })
})

describe('estimateClock', () => {
  it('recovers a known offset from asymmetric, noisy pings by trusting the fastest', () => {
    const trueOffset = -3456.25
    // Outbound delay a, return delay b; the server reads its clock at t0 + a.
    const pings = [
      [2, 2], [1, 1.2], [40, 2], [1.1, 0.9], [2, 30], [1, 1], [15, 15], [1.5, 1.3],
    ].map(([a, b], i) => {
      const t0 = 1000 * i
      return { t0, t1: t0 + a + b, serverTime: t0 + a + trueOffset }
    })
    const est = estimateClock(pings)!
    expect(est.total).toBe(8)
    expect(Math.abs(est.offsetMs - trueOffset)).toBeLessThan(0.2)
    expect(est.minRttMs).toBeCloseTo(2, 5)
    expect(est.rttMs).toBeLessThan(3)
  })
  it('drops an outlier among low-RTT samples', () => {
    const good = [0, 0.2, -0.1, 0.1, 0.3, -0.2].map((o, i) => ({ t0: i * 10, t1: i * 10 + 2, serverTime: i * 10 + 1 + 500 + o }))
    const bad = { t0: 100, t1: 101, serverTime: 100.5 + 500 + 80 } // fastest sample, wildly off
    const est = estimateClock([...good, bad], { keepFraction: 1 })!
    expect(est.used).toBe(6)
    expect(Math.abs(est.offsetMs - 500)).toBeLessThan(0.3)
  })
  it('ignores invalid samples and returns undefined when none is valid', () => {
    expect(estimateClock([])).toBeUndefined()
    expect(estimateClock([{ t0: 10, t1: 5, serverTime: 1 }, { t0: NaN, t1: 1, serverTime: 1 }])).toBeUndefined()
    const est = estimateClock([{ t0: 10, t1: 5, serverTime: 1 }, { t0: 0, t1: 4, serverTime: 102 }])!
    expect(est).toMatchObject({ offsetMs: 100, rttMs: 4, used: 1, total: 1 })
  })
})

describe('mergeOffset', () => {
  it('takes the first estimate, slews small changes, jumps on large ones', () => {
    expect(mergeOffset(undefined, 12)).toBe(12)
    expect(mergeOffset(10, 14)).toBe(12)
    expect(mergeOffset(10, 14, 0.25)).toBe(11)
    expect(mergeOffset(10, 100)).toBe(100)
  })
})
