import { describe, expect, it } from 'vitest'
import { deinterleave, interleave, RingBuffer } from './index.js'

const ramp = (n: number, from: number) => Float32Array.from({ length: n }, (_, i) => from + i)

describe('interleave / deinterleave', () => {
  it('interleaves stereo and splits it back', () => {
    const L = ramp(4, 0)
    const R = ramp(4, 100)
    const out = new Float32Array(8)
    expect(interleave([L, R], out)).toBe(4)
    expect([...out]).toEqual([0, 100, 1, 101, 2, 102, 3, 103])
    const l = new Float32Array(4)
    const r = new Float32Array(4)
    expect(deinterleave(out, [l, r])).toBe(4)
    expect([...l]).toEqual([...L])
    expect([...r]).toEqual([...R])
  })

  it('matches a plain reference loop for stereo at every length and offset (unrolled kernel and its tail)', () => {
    const L = ramp(20, 0)
    const R = ramp(20, 500)
    for (let frames = 0; frames <= 13; frames++) {
      for (const [off, outOff] of [[0, 0], [1, 3], [6, 1]]) {
        const out = new Float32Array(40).fill(-1)
        const want = new Float32Array(40).fill(-1)
        for (let i = 0; i < frames; i++) {
          want[outOff + 2 * i] = L[off + i]
          want[outOff + 2 * i + 1] = R[off + i]
        }
        expect(interleave([L, R], out, frames, off, outOff)).toBe(frames)
        expect([...out]).toEqual([...want])
        const l = new Float32Array(20).fill(-2)
        const r = new Float32Array(20).fill(-2)
        deinterleave(out, [l, r], frames, off, outOff)
        for (let i = 0; i < 20; i++) {
          const inside = i >= off && i < off + frames
          expect(l[i]).toBe(inside ? L[i] : -2)
          expect(r[i]).toBe(inside ? R[i] : -2)
        }
      }
    }
  })

  it('handles any channel count and offsets on both sides', () => {
    const planar = [ramp(5, 0), ramp(5, 10), ramp(5, 20)]
    const out = new Float32Array(12).fill(-1)
    expect(interleave(planar, out, 3, 1, 2)).toBe(3) // frames 1…3 into out[2…10]
    expect([...out]).toEqual([-1, -1, 1, 11, 21, 2, 12, 22, 3, 13, 23, -1])
    const back = [new Float32Array(4), new Float32Array(4), new Float32Array(4)]
    expect(deinterleave(out, back, 3, 1, 2)).toBe(3)
    expect(back.map((c) => [...c])).toEqual([
      [0, 1, 2, 3],
      [0, 11, 12, 13],
      [0, 21, 22, 23],
    ])
    const mono = new Float32Array(3)
    expect(interleave([ramp(3, 5)], mono)).toBe(3)
    expect([...mono]).toEqual([5, 6, 7])
  })

  it('rejects ranges that do not fit with a RangeError', () => {
    const L = new Float32Array(4)
    const R = new Float32Array(3)
    expect(() => interleave([], new Float32Array(8))).toThrow(RangeError)
    expect(() => interleave([L, R], new Float32Array(8))).toThrow(/channel 1 has 3 samples/)
    expect(() => interleave([L, L], new Float32Array(7))).toThrow(RangeError)
    expect(() => interleave([L, L], new Float32Array(8), 4, 0, 1)).toThrow(RangeError)
    expect(() => interleave([L, L], new Float32Array(8), -1)).toThrow(RangeError)
    expect(() => deinterleave(new Float32Array(7), [L, L])).toThrow(RangeError)
    expect(() => deinterleave(new Float32Array(8), [L, L], 2, 0.5)).toThrow(RangeError)
  })
})

describe('pushFrames / popFrames on an interleaved ring', () => {
  it('stores planar frames interleaved and reads them back planar', () => {
    const rb = RingBuffer.create(16, Float32Array)
    expect(rb.pushFrames([ramp(3, 0), ramp(3, 100)])).toBe(3)
    const raw = new Float32Array(6)
    expect(rb.peek(raw)).toBe(6)
    expect([...raw]).toEqual([0, 100, 1, 101, 2, 102])
    const l = new Float32Array(4).fill(-1)
    const r = new Float32Array(4).fill(-1)
    expect(rb.popFrames([l, r], 3, 1)).toBe(3)
    expect([...l]).toEqual([-1, 0, 1, 2])
    expect([...r]).toEqual([-1, 100, 101, 102])
  })

  it('wraps frames around the end of storage, even when a frame straddles it', () => {
    for (const capacity of [10, 7]) {
      // 7 is not a multiple of 2: frames straddle the end of storage on some passes.
      const rb = RingBuffer.create(capacity, Float32Array)
      let sent = 0
      let got = 0
      const l = new Float32Array(3)
      const r = new Float32Array(3)
      for (let pass = 0; pass < 20; pass++) {
        sent += rb.pushFrames([ramp(3, sent), ramp(3, 1000 + sent)], Math.min(3, Math.floor(rb.availableWrite / 2)))
        const k = rb.popFrames([l, r], 2)
        expect([...l.subarray(0, k)]).toEqual([...ramp(k, got)])
        expect([...r.subarray(0, k)]).toEqual([...ramp(k, 1000 + got)])
        got += k
      }
      expect(got).toBeGreaterThan(20)
      expect(rb.overruns).toBe(0)
    }
  })

  it('moves whole frames only; missing frames count channels × frames', () => {
    const rb = RingBuffer.create(9, Float32Array)
    const planar = [ramp(4, 0), ramp(4, 10), ramp(4, 20)]
    expect(rb.pushFrames(planar)).toBe(3) // 9 slots hold 3 frames of 3 channels
    expect(rb.overruns).toBe(3)
    expect(rb.pushFrames(planar, 1)).toBe(0)
    expect(rb.overruns).toBe(6)
    const out = [new Float32Array(5).fill(-1), new Float32Array(5).fill(-1), new Float32Array(5).fill(-1)]
    expect(rb.popFrames(out, 5)).toBe(3)
    expect(rb.underruns).toBe(6)
    expect(out.map((c) => [...c])).toEqual([
      [0, 1, 2, -1, -1],
      [10, 11, 12, -1, -1],
      [20, 21, 22, -1, -1],
    ])
    // Fewer than a whole frame stored: nothing comes out.
    rb.push(Float32Array.of(1, 2))
    expect(rb.popFrames(out, 1)).toBe(0)
    expect(rb.availableRead).toBe(2)
  })

  it('pops straight into AudioWorklet-style outputs, default length = the output length', () => {
    const rb = RingBuffer.create(2 * 512, Float32Array)
    const block = [new Float32Array(128), new Float32Array(128)]
    const frames = [ramp(200, 0), ramp(200, -200)]
    expect(rb.pushFrames(frames)).toBe(200)
    expect(rb.popFrames(block)).toBe(128)
    expect(block[0][127]).toBe(127)
    expect(block[1][0]).toBe(-200)
    const got = rb.popFrames(block)
    expect(got).toBe(72)
    block[0].fill(0, got) // the caller fills the rest with silence
    expect(block[0][71]).toBe(199)
    expect(block[0][72]).toBe(0)
    expect(rb.underruns).toBe(2 * 56)
  })

  it('rejects bad frame ranges with a RangeError and changes nothing', () => {
    const rb = RingBuffer.create(16, Float32Array)
    const a = new Float32Array(4)
    expect(() => rb.pushFrames([])).toThrow(RangeError)
    expect(() => rb.pushFrames([a, new Float32Array(2)])).toThrow(/channel 1 has 2 samples/)
    expect(() => rb.pushFrames([a, a], 3, 2)).toThrow(RangeError)
    expect(() => rb.pushFrames([a, a], -1)).toThrow(RangeError)
    expect(() => rb.popFrames([a, a], 5)).toThrow(RangeError)
    expect(() => rb.popFrames([a, a], 1, 0.5)).toThrow(RangeError)
    expect(rb.isEmpty).toBe(true)
    expect(rb.underruns + rb.overruns).toBe(0)
  })
})
