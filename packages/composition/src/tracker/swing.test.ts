import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { stepTime, swingBeats, timeToStep, unswingBeats } from './swing.js'

describe('swing grid', () => {
  it('delays the second eighth of each beat to the swing ratio and leaves beats in place', () => {
    expect(swingBeats(0.5, 0.67)).toBeCloseTo(0.67, 12)
    expect(swingBeats(3.5, 0.6)).toBeCloseTo(3.6, 12)
    expect(swingBeats(2, 0.75)).toBe(2)
    expect(stepTime(6, 120, 0.67)).toBeCloseTo(0.5 + 0.67 * 0.5, 12) // beat 1, second eighth
    expect(stepTime(7, 120, 0.5)).toBeCloseTo(7 * 0.125, 12)
  })

  it('is monotonic and exactly invertible for every ratio in 0.5–0.75', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 64, noNaN: true }), fc.double({ min: 0, max: 64, noNaN: true }), fc.double({ min: 0.5, max: 0.75, noNaN: true }), (a, b, r) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a]
        expect(swingBeats(lo, r)).toBeLessThanOrEqual(swingBeats(hi, r))
        expect(unswingBeats(swingBeats(a, r), r)).toBeCloseTo(a, 9)
      }),
    )
  })

  it('maps every step time back to its step', () => {
    for (const r of [0.5, 0.55, 0.67, 0.75]) {
      for (let s = 0; s <= 256; s++) expect(Math.round(timeToStep(stepTime(s, 97, r), 97, r))).toBe(s)
    }
  })
})
