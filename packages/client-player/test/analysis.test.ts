import { describe, expect, it } from 'vitest'
import { dominantFrequency, onsets, rms } from './support/analysis.js'

describe('test analysis helpers', () => {
  const sr = 48_000
  it('measures a 440 Hz sine within 0.5 Hz, and its RMS', () => {
    const x = Float32Array.from({ length: sr }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / sr))
    expect(Math.abs(dominantFrequency(x, sr) - 440)).toBeLessThan(0.5)
    expect(rms(x)).toBeCloseTo(0.5 / Math.SQRT2, 3)
  })
  it('finds the fundamental of a sawtooth', () => {
    const f = 261.63
    const x = Float32Array.from({ length: sr }, (_, i) => 2 * ((i * f / sr) % 1) - 1)
    expect(Math.abs(dominantFrequency(x, sr) - f)).toBeLessThan(0.5)
  })
  it('detects clicks after silence at their sample index', () => {
    const x = new Float32Array(sr)
    for (const at of [1000, 13_000, 25_000]) for (let i = 0; i < 200; i++) x[at + i] = 0.3 * Math.exp(-i / 40) * (i % 2 ? 1 : -1)
    expect(onsets(x, 0.05, 480)).toEqual([1000, 13_000, 25_000])
    // A ramp through the lower band still fires once, where it crosses the threshold.
    const ramp = Float32Array.from({ length: 3000 }, (_, i) => (i >= 1000 && i < 1100 ? (i - 1000) * 0.001 : 0))
    expect(onsets(ramp, 0.05, 480)).toEqual([1050])
  })
})
