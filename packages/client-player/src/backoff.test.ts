import { describe, expect, it } from 'vitest'
import { backoffBound, backoffDelay } from './backoff.js'

describe('backoffBound', () => {
  it('doubles from the base and stops at the cap', () => {
    const bounds = [0, 1, 2, 3, 4, 5, 6, 7].map((a) => backoffBound(a, { baseMs: 100, capMs: 2000 }))
    expect(bounds).toEqual([100, 200, 400, 800, 1600, 2000, 2000, 2000])
  })
  it('stays finite for huge attempts', () => {
    expect(backoffBound(5000, { baseMs: 100, capMs: 3000 })).toBe(3000)
  })
  it('rejects bad input with RangeError', () => {
    expect(() => backoffBound(-1)).toThrow(RangeError)
    expect(() => backoffBound(1.5)).toThrow(RangeError)
    expect(() => backoffBound(0, { baseMs: 0 })).toThrow(RangeError)
    expect(() => backoffBound(0, { baseMs: 500, capMs: 100 })).toThrow(RangeError)
  })
})

describe('backoffDelay (full jitter)', () => {
  it('scales the bound by the random draw', () => {
    expect(backoffDelay(3, () => 0.5, { baseMs: 100, capMs: 10_000 })).toBe(400)
    expect(backoffDelay(3, () => 0, { baseMs: 100, capMs: 10_000 })).toBe(0)
    expect(backoffDelay(10, () => 0.25, { baseMs: 100, capMs: 1000 })).toBe(250)
  })
  it('honours the floor and ignores a random outside [0,1)', () => {
    expect(backoffDelay(0, () => 0.01, { baseMs: 100, minMs: 20 })).toBe(20)
    expect(backoffDelay(0, () => 7, { baseMs: 100 })).toBe(0)
  })
  it('spreads delays uniformly under the bound (seeded draw)', () => {
    let s = 12345
    const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32)
    const delays = Array.from({ length: 2000 }, () => backoffDelay(4, rand, { baseMs: 100, capMs: 10_000 }))
    expect(Math.max(...delays)).toBeLessThan(1600)
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length
    expect(mean).toBeGreaterThan(700)
    expect(mean).toBeLessThan(900)
  })
})
