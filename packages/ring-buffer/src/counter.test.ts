import { describe, expect, it } from 'vitest'
import { addCounter, readCounter } from './counter.js'

describe('64-bit shared counters', () => {
  it('counts exactly past 2^32 and up to 2^53', () => {
    const h = new Int32Array(8)
    expect(readCounter(h, 1)).toBe(0)
    addCounter(h, 1, 2 ** 32 - 1)
    expect(readCounter(h, 1)).toBe(2 ** 32 - 1)
    addCounter(h, 1, 5)
    expect(readCounter(h, 1)).toBe(2 ** 32 + 4)
    addCounter(h, 1, 2 ** 53 - 2 ** 32 - 5)
    expect(readCounter(h, 1)).toBe(2 ** 53 - 1)
    expect(h[0]).toBe(0) // neighbours untouched
    expect(h[6]).toBe(0)
  })

  it('publishes each update through the slot the sequence points at', () => {
    const h = new Int32Array(5)
    for (let i = 1; i <= 10; i++) {
      addCounter(h, 0, 3)
      expect(h[0]).toBe(i)
      const slot = 1 + ((i & 1) << 1)
      expect(h[slot] >>> 0).toBe(3 * i)
      expect(readCounter(h, 0)).toBe(3 * i)
    }
  })
})
