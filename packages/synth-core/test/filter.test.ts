import { describe, expect, it } from 'vitest'
import { Svf, renderNote, type SvfMode } from '../src/index.js'
import { SR, testPreset } from './helpers.js'
import { db, goertzel } from './util/dsp.js'

/** Steady-state gain (dB) of a filter at `hz`. */
function svfGainDb(mode: SvfMode, cutoff: number, hz: number, q = Math.SQRT1_2): number {
  const f = new Svf(SR, cutoff, q, mode)
  const n = SR
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) y[i] = f.process(Math.sin((2 * Math.PI * hz * i) / SR))
  return db(goertzel(y, hz, SR, n / 2, n / 2))
}

describe('state-variable filter (TPT)', () => {
  it('low-pass is −3 dB at the cutoff and falls 12 dB/octave', () => {
    for (const fc of [200, 1000, 5000]) {
      expect(svfGainDb('lp', fc, fc)).toBeCloseTo(-3.01, 1)
      expect(svfGainDb('lp', fc, fc / 8)).toBeGreaterThan(-0.1)
    }
    const oct2 = svfGainDb('lp', 1000, 4000)
    const oct3 = svfGainDb('lp', 1000, 8000)
    expect(oct2).toBeLessThan(-22)
    expect(oct3 - oct2).toBeGreaterThan(-14)
    expect(oct3 - oct2).toBeLessThan(-11)
  })

  it('high-pass is −3 dB at the cutoff, band-pass peaks at 0 dB there', () => {
    expect(svfGainDb('hp', 1000, 1000)).toBeCloseTo(-3.01, 1)
    expect(svfGainDb('hp', 1000, 8000)).toBeGreaterThan(-0.1)
    expect(svfGainDb('hp', 1000, 250)).toBeLessThan(-23)
    expect(svfGainDb('bp', 1000, 1000, 2)).toBeCloseTo(0, 1)
    expect(svfGainDb('bp', 1000, 4000, 2)).toBeLessThan(-15)
  })

  it('resonance raises the gain at the cutoff to Q', () => {
    expect(svfGainDb('lp', 1000, 1000, 4)).toBeCloseTo(db(4), 1)
  })

  it('the voice kernel’s filter is −3 dB at its cutoff (12 dB/oct low-pass)', () => {
    // A 440 Hz sine through the kernel's LP at 440 Hz vs unfiltered.
    const dry = renderNote(testPreset({ oscA: { wave: 'sine', level: 1 } }), 69, 127, 1)
    const wet = renderNote(testPreset({ oscA: { wave: 'sine', level: 1 }, filter: { mode: 'lp', cutoff: 440 } }), 69, 127, 1)
    const a = goertzel(dry, 440, SR, SR / 2, SR / 2)
    const b = goertzel(wet, 440, SR, SR / 2, SR / 2)
    expect(db(b / a)).toBeCloseTo(-3.01, 1)
  })

  it('the filter envelope opens the cutoff', () => {
    const base = { oscA: { wave: 'saw' as const, level: 1 }, filter: { mode: 'lp' as const, cutoff: 300 } }
    const closed = renderNote(testPreset(base), 45, 127, 1)
    const open = renderNote(testPreset({ ...base, filter: { ...base.filter, envOctaves: 3, env: { attack: 0.001, decay: 0, sustain: 1, release: 0.1 } } }), 45, 127, 1)
    // 2 kHz harmonic: 3 octaves more cutoff ⇒ much louder
    expect(goertzel(open, 1980, SR, SR / 4, SR / 2)).toBeGreaterThan(10 * goertzel(closed, 1980, SR, SR / 4, SR / 2))
  })
})
