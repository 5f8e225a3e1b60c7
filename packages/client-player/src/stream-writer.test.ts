import { describe, expect, it } from 'vitest'
import type { RingBuffer } from '@auralis/ring-buffer'
import { StreamWriter } from './stream-writer.js'

function setup(opts: Partial<ConstructorParameters<typeof StreamWriter>[0]> = {}) {
  const rings: { ring: RingBuffer<Float32Array>; frame: number }[] = []
  const w = new StreamWriter({ channels: 2, sampleRate: 1000, fadeFrames: 4, onRing: (ring, frame) => rings.push({ ring, frame }), ...opts })
  const block = (start: number, n: number) => [Float32Array.from({ length: n }, (_, i) => start + i), Float32Array.from({ length: n }, (_, i) => -(start + i))]
  const drain = (ring: RingBuffer<Float32Array>) => {
    const n = ring.availableRead / 2
    const out = [new Float32Array(n), new Float32Array(n)]
    ring.popFrames(out)
    return out
  }
  return { w, rings, block, drain }
}

describe('StreamWriter', () => {
  it('writes contiguous blocks into one ring that starts at the first block’s stream frame', () => {
    const { w, rings, block, drain } = setup()
    w.write(100, block(100, 10))
    w.write(110, block(110, 10))
    expect(rings.map((r) => r.frame)).toEqual([100])
    expect(w.endFrame).toBe(120)
    const [l, r] = drain(rings[0].ring)
    expect(Array.from(l)).toEqual(Array.from({ length: 20 }, (_, i) => 100 + i))
    expect(Array.from(r)).toEqual(Array.from({ length: 20 }, (_, i) => -(100 + i)))
  })

  it('drops frames it already has (a replay after a resume) and keeps the rest', () => {
    const { w, rings, block, drain } = setup()
    w.write(0, block(0, 10))
    w.write(0, block(0, 10))
    w.write(5, block(5, 10))
    expect(w.stats.duplicateFrames).toBe(15)
    expect(Array.from(drain(rings[0].ring)[0])).toEqual(Array.from({ length: 15 }, (_, i) => i))
  })

  it('fills a short gap with silence decaying from the last value, and fades the next block in', () => {
    const { w, rings, block, drain } = setup()
    w.write(0, block(0, 10)) // last value 9
    w.write(20, block(20, 10))
    expect(w.stats).toMatchObject({ gaps: 1, gapFrames: 10, rings: 1 })
    const [l] = drain(rings[0].ring)
    expect(l.length).toBe(30)
    expect(l[10]).toBeCloseTo(9 * Math.exp(-1 / 24), 5) // no step down to 0
    for (let i = 11; i < 20; i++) expect(l[i]).toBeLessThan(l[i - 1])
    expect(Array.from(l.subarray(20, 24))).toEqual([0, 21 * 0.25, 22 * 0.5, 23 * 0.75]) // fade-in
    expect(l[24]).toBe(24)
  })

  it('starts a new ring for a gap longer than maxGapFrames', () => {
    const { w, rings, block } = setup({ maxGapFrames: 50 })
    w.write(0, block(0, 10))
    w.write(100, block(100, 10))
    expect(rings.map((r) => r.frame)).toEqual([0, 100])
    expect(w.stats.gaps).toBe(0)
  })

  it('drops the oldest audio (a new ring) when the ring is full, and counts the overrun', () => {
    const { w, rings, block, drain } = setup({ capacityFrames: 25 })
    w.write(0, block(0, 10))
    w.write(10, block(10, 10))
    w.write(20, block(20, 10)) // 30 > 25 frames: the 20 buffered frames are dropped
    expect(w.stats).toMatchObject({ overruns: 1, overrunFrames: 20, rings: 2 })
    expect(rings[1].frame).toBe(20)
    expect(Array.from(drain(rings[1].ring)[0])).toEqual(Array.from({ length: 10 }, (_, i) => 20 + i))
  })

  it('starts over after reset, and rejects blocks of the wrong shape', () => {
    const { w, rings, block } = setup()
    w.write(0, block(0, 10))
    w.reset()
    expect(w.endFrame).toBeUndefined()
    w.write(7, block(7, 3))
    expect(rings.map((r) => r.frame)).toEqual([0, 7])
    expect(() => w.write(0, [new Float32Array(4)])).toThrow(RangeError)
    expect(() => w.write(0.5, block(0, 2))).toThrow(RangeError)
    expect(() => new StreamWriter({ channels: 0, sampleRate: 1, onRing: () => undefined })).toThrow(RangeError)
  })
})
