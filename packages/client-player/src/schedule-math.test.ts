import { describe, expect, it } from 'vitest'
import {
  bufferedAheadS, firstAtOrAfter, noteServerMs, performanceToContextS, performanceToServerMs,
  serverToContextS, serverToPerformanceMs, updateAudioClockMap,
} from './schedule-math.js'

describe('noteServerMs', () => {
  it('multiplies from the epoch instead of accumulating', () => {
    const epoch = 1_700_000_000_000
    expect(noteServerMs(epoch, 12, 0.5)).toBe(epoch + 12_500)
    // 10 000 sections of 0.1 s: accumulation drifts, multiplication does not.
    let acc = 0
    for (let i = 0; i < 10_000; i++) acc += 0.1
    expect(Math.abs(acc * 1000 - 1_000_000)).toBeGreaterThan(1e-7)
    expect(noteServerMs(0, 10_000 * 0.1, 0)).toBe(1_000_000)
  })
})

describe('clock conversions', () => {
  it('round-trips server ↔ performance time', () => {
    const origin = 1_700_000_000_000.25
    const offset = -1234.5
    const perf = serverToPerformanceMs(origin + 5000, offset, origin)
    expect(perf).toBeCloseTo(5000 - offset, 9)
    expect(performanceToServerMs(perf, offset, origin)).toBeCloseTo(origin + 5000, 6)
  })
  it('maps server time to context time through the output timestamp', () => {
    const origin = 1_000_000
    // The context output 2.000 s at performance time 10 000 ms (so the context started ~8 s after page load).
    const map = updateAudioClockMap(undefined, { contextTime: 2, performanceTime: 10_000 })!
    expect(map.biasS).toBeCloseTo(-8, 12)
    expect(performanceToContextS(10_250, map)).toBeCloseTo(2.25, 12)
    // Server 500 ms ahead of local: server time origin+10 750 is local perf 10 250 → context 2.25 s.
    expect(serverToContextS(origin + 10_750, 500, origin, map)).toBeCloseTo(2.25, 9)
  })
})

describe('updateAudioClockMap (drift correction)', () => {
  it('ignores invalid readings', () => {
    expect(updateAudioClockMap(undefined, { contextTime: 0, performanceTime: 0 })).toBeUndefined()
    const m = { biasS: 1, samples: 1, outliers: 0 }
    expect(updateAudioClockMap(m, { contextTime: NaN, performanceTime: 5 })).toBe(m)
  })
  it('averages jitter from the first readings, follows slow drift', () => {
    let map = updateAudioClockMap(undefined, { contextTime: 0, performanceTime: 1000 })!
    // Audio clock runs 100 ppm fast; readings jitter by ±1.3 ms (a 128-frame quantum at 48 kHz is 2.7 ms).
    let maxErr = 0
    for (let i = 1; i <= 600; i++) {
      const perf = 1000 + i * 25
      const trueCtx = ((perf - 1000) / 1000) * 1.0001
      const jitter = (i % 2 ? 1 : -1) * 0.0013
      map = updateAudioClockMap(map, { contextTime: trueCtx + jitter, performanceTime: perf })!
      if (i >= 10) maxErr = Math.max(maxErr, Math.abs(performanceToContextS(perf, map) - trueCtx))
    }
    expect(maxErr).toBeLessThan(0.0009) // jitter attenuated below its ±1.3 ms within 10 readings, drift tracked
  })
  it('ignores a single glitch but takes a jump that 3 readings agree on', () => {
    let map = updateAudioClockMap(undefined, { contextTime: 1, performanceTime: 1000 })!
    map = updateAudioClockMap(map, { contextTime: 1.5, performanceTime: 1100 })!
    expect(map.biasS).toBeCloseTo(0, 12)
    map = updateAudioClockMap(map, { contextTime: 1.2, performanceTime: 1200 })!
    expect(map).toMatchObject({ outliers: 0, samples: 2 })
    for (let i = 0; i < 3; i++) map = updateAudioClockMap(map, { contextTime: 100 + i * 0.025, performanceTime: 20_000 + i * 25 })!
    expect(map.biasS).toBeCloseTo(100 - 20, 12)
    expect(map.samples).toBe(1)
  })
})

describe('bufferedAheadS and firstAtOrAfter', () => {
  it('reports seconds buffered, never negative', () => {
    expect(bufferedAheadS(undefined, 5)).toBe(0)
    expect(bufferedAheadS(12_500, 10_000)).toBe(2.5)
    expect(bufferedAheadS(9_000, 10_000)).toBe(0)
  })
  it('finds the split point of due items', () => {
    const a = [1, 2, 2, 3, 5, 8].map((v) => ({ v }))
    expect(firstAtOrAfter(a, 2, (x) => x.v)).toBe(1)
    expect(firstAtOrAfter(a, 4, (x) => x.v)).toBe(4)
    expect(firstAtOrAfter(a, 0, (x) => x.v)).toBe(0)
    expect(firstAtOrAfter(a, 99, (x) => x.v)).toBe(6)
  })
})
