import { describe, expect, it } from 'vitest'
import { midiToHz, renderNote } from '../src/index.js'
import { SR } from './helpers.js'
import { peakFrequency, rms } from './util/dsp.js'

describe('Karplus–Strong pluck', () => {
  for (const note of [48, 57, 64, 69, 76, 84, 96]) {
    it(`MIDI ${note} sounds at its pitch (±0.3%)`, () => {
      const x = renderNote('pluck', note, 110, 1.5)
      const f0 = midiToHz(note)
      const f = peakFrequency(x.subarray(0, 1 << 16), SR, 1 << 16, f0 * 0.8, f0 * 1.2)
      expect(Math.abs(f / f0 - 1)).toBeLessThan(0.003)
    })
  }

  it('decays, and a softer pluck is darker', () => {
    const x = renderNote('pluck', 60, 120, 2)
    expect(rms(x, SR + SR / 2, 2 * SR)).toBeLessThan(rms(x, 0, SR / 2) * 0.5)
    const bright = renderNote('pluck', 60, 127, 0.5)
    const dark = renderNote('pluck', 60, 30, 0.5)
    const hf = (y: Float32Array): number => {
      let s = 0
      for (let i = 1; i < 8000; i++) s += (y[i] - y[i - 1]) ** 2
      return s / rms(y, 0, 8000) ** 2
    }
    expect(hf(dark)).toBeLessThan(hf(bright))
  })
})
