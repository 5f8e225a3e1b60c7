import { describe, expect, it } from 'vitest'
import { createRng, Rng } from './rng.js'

describe('Rng (sfc32)', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRng(42)
    const b = createRng(42)
    const c = createRng(43)
    const xs = Array.from({ length: 100 }, () => a.uint32())
    expect(Array.from({ length: 100 }, () => b.uint32())).toEqual(xs)
    expect(Array.from({ length: 100 }, () => c.uint32())).not.toEqual(xs)
  })

  it('restores from its state exactly; state is four uint32s', () => {
    const a = new Rng(7)
    for (let i = 0; i < 1000; i++) a.next()
    const state = a.state()
    for (const v of state) expect(v >>> 0).toBe(v)
    const b = new Rng(JSON.parse(JSON.stringify(state)))
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(Array.from({ length: 50 }, () => a.next()))
  })

  it('is roughly uniform: 100k draws into 10 bins within 3% of 10k each; int() stays in range', () => {
    const r = createRng(1)
    const bins = new Array<number>(10).fill(0)
    for (let i = 0; i < 100_000; i++) {
      const x = r.next()
      expect(x >= 0 && x < 1).toBe(true)
      bins[Math.floor(x * 10)]++
    }
    for (const b of bins) expect(Math.abs(b - 10_000)).toBeLessThan(300)
    for (let i = 0; i < 1000; i++) {
      const n = r.int(7)
      expect(Number.isInteger(n) && n >= 0 && n < 7).toBe(true)
    }
  })

  it('weighted() draws in proportion to the weights and never picks a zero weight', () => {
    const r = createRng(3)
    const counts = [0, 0, 0, 0]
    for (let i = 0; i < 40_000; i++) counts[r.weighted([1, 0, 3, 0])]++
    expect(counts[1] + counts[3]).toBe(0)
    expect(counts[2] / counts[0]).toBeGreaterThan(2.8)
    expect(counts[2] / counts[0]).toBeLessThan(3.2)
  })
})
