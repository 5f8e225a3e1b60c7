import { describe, expect, it } from 'vitest'
import { midiToHz, noiseAt, pcgHash, renderNote, sinCycles, sinU32, type Waveform } from '../src/index.js'
import { SR, testPreset } from './helpers.js'
import { db, peakFrequency, powerSpectrum, zeroCrossingFrequency } from './util/dsp.js'

describe('oscillators', () => {
  const waves: Waveform[] = ['sine', 'triangle', 'saw', 'square']
  for (const wave of waves) {
    for (const note of [45, 69, 88]) {
      it(`${wave} at MIDI ${note} has the right frequency (zero crossings and FFT, ±0.5 Hz)`, () => {
        const f = midiToHz(note)
        const x = renderNote(testPreset({ oscA: { wave, level: 1 } }), note, 127, 1.5)
        // A saw has one rising zero crossing per period at mid-ramp; the others too.
        const zc = zeroCrossingFrequency(x, SR, 0, SR)
        expect(Math.abs(zc - f)).toBeLessThan(0.5)
        expect(Math.abs(peakFrequency(x, SR, 1 << 16) - f)).toBeLessThan(0.5)
      })
    }
  }

  it('detuned unison spreads the voices symmetrically around the note', () => {
    const x = renderNote(testPreset({ oscA: { wave: 'sine', level: 1, unison: 2, detune: 100 } }), 69, 127, 1.5)
    const p = powerSpectrum(x, 1 << 16)
    const bin = (hz: number): number => Math.round((hz * (1 << 16)) / SR)
    const lo = 440 * Math.pow(2, -50 / 1200)
    const hi = 440 * Math.pow(2, 50 / 1200)
    expect(p[bin(lo)]).toBeGreaterThan(p[bin(440)] * 100)
    expect(p[bin(hi)]).toBeGreaterThan(p[bin(440)] * 100)
  })

  it('the PolyBLEP saw aliases far less than a naive saw at a high note', () => {
    // f0 = 4800 bins of a 65536-point DFT: harmonics and their aliases land on exact bins (rectangular window).
    const n = 1 << 16
    const m = 4800
    const f0 = (m * SR) / n // 3515.625 Hz (≈ A7)
    const note = 69 + 12 * Math.log2(f0 / 440)
    const blep = renderNote(testPreset({ oscA: { wave: 'saw', level: 1 } }), note, 127, 1.5)
    const naive = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      const t = ((i * m) % n) / n
      naive[i] = 2 * t - 1
    }
    const aliasRatioDb = (x: ArrayLike<number>): number => {
      const p = powerSpectrum(x, n, false)
      let harm = 0
      let other = 0
      for (let k = 1; k < p.length; k++) {
        if (k % m === 0) harm += p[k]
        else other += p[k]
      }
      return 10 * Math.log10(other / harm)
    }
    const naiveDb = aliasRatioDb(naive)
    const blepDb = aliasRatioDb(blep)
    expect(naiveDb).toBeGreaterThan(-25)
    expect(blepDb).toBeLessThan(naiveDb - 10)
  })

  it('the sine table matches Math.sin within 3e-7', () => {
    let worst = 0
    for (let i = 0; i < 100000; i++) {
      const p = Math.floor(Math.random() * 4294967296)
      worst = Math.max(worst, Math.abs(sinU32(p) - Math.sin((2 * Math.PI * p) / 4294967296)))
      const t = Math.random() * 10 - 5
      worst = Math.max(worst, Math.abs(sinCycles(t) - Math.sin(2 * Math.PI * t)))
    }
    expect(worst).toBeLessThan(3e-7)
  })

  it('pcgHash matches the reference PCG hash', () => {
    // Reference values computed with 32-bit unsigned arithmetic (as WGSL does).
    const ref = (v: number): number => {
      const s = Number((BigInt(v) * 747796405n + 2891336453n) & 0xffffffffn)
      const w = Number((BigInt(((s >>> ((s >>> 28) + 4)) ^ s) >>> 0) * 277803737n) & 0xffffffffn)
      return ((w >>> 22) ^ w) >>> 0
    }
    for (const v of [0, 1, 2, 12345, 0x7fffffff, 0x80000000, 0xffffffff, 987654321]) expect(pcgHash(v)).toBe(ref(v))
  })

  it('noise is uniform in [−1, 1) with zero mean', () => {
    let sum = 0
    let sq = 0
    let lo = 1
    let hi = -1
    const key = pcgHash(42)
    const n = 200000
    for (let k = 0; k < n; k++) {
      const x = noiseAt(key, k)
      sum += x
      sq += x * x
      lo = Math.min(lo, x)
      hi = Math.max(hi, x)
    }
    expect(lo).toBeGreaterThanOrEqual(-1)
    expect(hi).toBeLessThan(1)
    expect(Math.abs(sum / n)).toBeLessThan(0.01)
    expect(Math.abs(sq / n - 1 / 3)).toBeLessThan(0.01)
  })

  it('FM produces sidebands at carrier ± k·modulator', () => {
    const x = renderNote(testPreset({ fm: { level: 1, carrierRatio: 1, modRatio: 2, index: 1.5 } }), 57, 127, 1.5)
    const p = powerSpectrum(x, 1 << 16)
    const at = (hz: number): number => p[Math.round((hz * (1 << 16)) / SR)]
    const f = midiToHz(57)
    // Carrier f and sidebands |f ± 2f| = 3f and f (folded −f): odd harmonics only for a 1:2 pair.
    expect(db(Math.sqrt(at(3 * f) / at(f)))).toBeGreaterThan(-20)
    expect(at(2 * f)).toBeLessThan(at(f) * 1e-4)
  })
})
