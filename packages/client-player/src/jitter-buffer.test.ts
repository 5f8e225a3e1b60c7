import { describe, expect, it } from 'vitest'
import { DEFAULT_BUFFER_MS, rateStep, resolveJitterOptions, startFrame, wantedDelayFrames, WindowMax } from './jitter-buffer.js'

const o = resolveJitterOptions({ bufferMs: DEFAULT_BUFFER_MS })

const rateForError = (e: number, opts = o, correcting = true) => rateStep(e, correcting, opts).rate

describe('rate control', () => {
  it('leaves the rate at exactly 1 until the error passes the 5 ms deadband, then corrects down to 0.5 ms (hysteresis)', () => {
    expect(rateStep(0.004, false, o)).toEqual({ rate: 1, correcting: false })
    expect(rateStep(-0.0049, false, o)).toEqual({ rate: 1, correcting: false })
    expect(rateStep(0.006, false, o)).toEqual({ rate: 1 - 0.5 * 0.006, correcting: true })
    expect(rateStep(0.002, true, o)).toEqual({ rate: 1 - 0.5 * 0.002, correcting: true })
    expect(rateStep(0.0004, true, o)).toEqual({ rate: 1, correcting: false })
    expect(rateStep(NaN, true, o)).toEqual({ rate: 1, correcting: false })
  })
  it('slows down when it needs more delay and speeds up when it has too much, in proportion', () => {
    expect(rateForError(0.008)).toBeCloseTo(1 - 0.004, 12)
    expect(rateForError(-0.008)).toBeCloseTo(1 + 0.004, 12)
  })
  it('never leaves 1 ± maxRateDeviation (0.5 % by default)', () => {
    for (const e of [0.02, 0.5, 10, -0.02, -3]) expect(Math.abs(rateForError(e) - 1)).toBeLessThanOrEqual(0.005 + 1e-15)
    expect(rateForError(1)).toBe(0.995)
    expect(rateForError(-1)).toBe(1.005)
    const tight = resolveJitterOptions({ bufferMs: 300, maxRateDeviation: 0.001 })
    expect(rateForError(1, tight)).toBe(0.999)
  })
})

describe('wanted delay', () => {
  it('is the worst lateness plus the target depth, never below 0 (never ahead of server time)', () => {
    expect(wantedDelayFrames(-28_800, 14_400)).toBe(0) // audio 0.6 s early, 0.3 s target: stay on server time
    expect(wantedDelayFrames(4800, 14_400)).toBe(19_200) // audio 0.1 s late: 0.4 s behind
    expect(wantedDelayFrames(-Infinity, 14_400)).toBe(0)
  })
})

describe('start position', () => {
  it('starts on server time when the target depth lies ahead of it (rounded to a whole frame)', () => {
    expect(startFrame(1000.4, 5000, 20_000, 14_400)).toBe(1000) // data in the future: silence until frame 5000
    expect(startFrame(4000, 1000, 20_000, 14_400)).toBe(4000) // frames 1000…4000 are past: dropped
  })
  it('starts behind server time, the target depth before the newest frame, when the audio runs late', () => {
    expect(startFrame(30_000, 1000, 15_400, 14_400)).toBe(1000)
    expect(startFrame(30_000, 1000, 20_000, 14_400)).toBe(5600)
    expect(startFrame(30_000, 1000, 15_399, 14_400)).toBeUndefined()
  })
})

describe('windowed maximum', () => {
  it('reports the maximum of the last half to whole window and forgets older samples', () => {
    const w = new WindowMax(1)
    expect(w.value).toBe(-Infinity)
    w.add(0, 5)
    w.add(0.5, 2)
    expect(w.value).toBe(5)
    w.add(1.2, 1) // new bucket: 5 still within the window
    expect(w.value).toBe(5)
    w.add(2.1, 0) // 5 has left the window
    expect(w.value).toBe(1)
    w.add(5, 3) // long silence: everything older forgotten
    expect(w.value).toBe(3)
    expect(w.span(5)).toBe(5)
    w.reset()
    expect(w.value).toBe(-Infinity)
    expect(w.span(9)).toBe(0)
  })
})

describe('options', () => {
  it('rejects out-of-range values with a RangeError naming the option', () => {
    expect(() => resolveJitterOptions({ bufferMs: 5 })).toThrow(/bufferMs/)
    expect(() => resolveJitterOptions({ bufferMs: NaN })).toThrow(/bufferMs/)
    expect(() => resolveJitterOptions({ bufferMs: 300, maxRateDeviation: 0.2 })).toThrow(/maxRateDeviation/)
    expect(() => resolveJitterOptions({ bufferMs: 300, rateGain: 0 })).toThrow(/rateGain/)
    expect(() => resolveJitterOptions({ bufferMs: 300, windowMs: 10 })).toThrow(/windowMs/)
    expect(() => resolveJitterOptions({ bufferMs: 300, settleMs: 6 })).toThrow(/settleMs/)
  })
})
