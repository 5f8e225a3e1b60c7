import { describe, expect, it } from 'vitest'
import { EnvelopeState, envelopeAt, heldLevelAt, renderNote, type EnvelopeFrames } from '../src/index.js'
import { SR, adsr, testPreset } from './helpers.js'

function env(attack: number, decay: number, sustain: number, release: number, gate: number): EnvelopeFrames {
  const e = { attack: Math.round(attack * SR), decay: Math.round(decay * SR), sustain, release: Math.round(release * SR), gate: Math.round(gate * SR) }
  return { ...e, releaseLevel: heldLevelAt(e, e.gate) }
}

describe('ADSR envelope', () => {
  it('the recursive form equals the closed form', () => {
    for (const e of [env(0.05, 0.1, 0.5, 0.2, 0.5), env(0.2, 0.3, 0.7, 0.4, 0.1), env(0, 0, 1, 0.05, 0.02), env(0.001, 2, 0, 1, 3)]) {
      const total = e.gate + e.release + 100
      const s = new EnvelopeState(e)
      const out = new Float64Array(total)
      // odd block sizes
      for (let i = 0, b = 1; i < total; i += b, b = (b * 7 + 3) % 300 + 1) {
        const n = Math.min(b, total - i)
        const tmp = new Float64Array(n)
        s.fill(tmp, n)
        out.set(tmp, i)
      }
      let worst = 0
      for (let k = 0; k < total; k++) worst = Math.max(worst, Math.abs(out[k] - envelopeAt(e, k)))
      expect(worst).toBeLessThan(1e-9)
      expect(s.done).toBe(true)
    }
  })

  it('attack reaches the peak at the set time (±1 ms), decays to sustain, release ends at exactly 0', () => {
    const e = env(0.05, 0.1, 0.5, 0.2, 0.5)
    let argmax = 0
    for (let k = 0; k < e.gate; k++) if (envelopeAt(e, k) > envelopeAt(e, argmax)) argmax = k
    expect(Math.abs(argmax - 0.05 * SR)).toBeLessThanOrEqual(SR / 1000)
    expect(envelopeAt(e, Math.round(0.05 * SR))).toBeCloseTo(1, 12)
    expect(envelopeAt(e, Math.round(0.15 * SR))).toBeCloseTo(0.5, 9)
    expect(envelopeAt(e, Math.round(0.3 * SR))).toBe(0.5)
    // release: monotonically decreasing, exactly 0 at the end
    let prev = envelopeAt(e, e.gate)
    for (let k = e.gate + 1; k < e.gate + e.release; k++) {
      const v = envelopeAt(e, k)
      expect(v).toBeLessThan(prev)
      prev = v
    }
    expect(envelopeAt(e, e.gate + e.release)).toBe(0)
    // −60 dB over the release: 20% into it, at most ≈ −12 dB
    expect(envelopeAt(e, e.gate + Math.round(0.2 * e.release))).toBeLessThan(0.5 * 0.26)
  })

  it('a gate inside the attack releases from the level reached', () => {
    const e = env(0.2, 0.1, 0.5, 0.1, 0.05)
    expect(e.releaseLevel).toBeGreaterThan(0.2)
    expect(e.releaseLevel).toBeLessThan(1)
    expect(envelopeAt(e, e.gate)).toBeCloseTo(e.releaseLevel, 12)
    expect(envelopeAt(e, e.gate - 1)).toBeCloseTo(e.releaseLevel, 3)
  })

  it('the rendered voice peaks at the attack time (±1 ms) and is silent after the release', () => {
    const x = renderNote(testPreset({ oscA: { wave: 'sine', level: 1 }, amp: adsr(0.08, 0.2, 0.3, 0.25) }), 81, 127, 0.6)
    // peak envelope per 1 ms window
    const win = SR / 1000
    let best = 0
    let bestIdx = 0
    for (let w = 0; w * win < 0.5 * SR; w++) {
      let p = 0
      for (let i = w * win; i < (w + 1) * win; i++) p = Math.max(p, Math.abs(x[i]))
      if (p > best) {
        best = p
        bestIdx = w
      }
    }
    expect(Math.abs(bestIdx - 80)).toBeLessThanOrEqual(1)
    expect(best).toBeGreaterThan(0.99)
    expect(x.length).toBe(Math.round(0.6 * SR) + Math.round(0.25 * SR))
    // decaying release: the last 10 ms is far quieter than the first 10 ms after the gate
    const g = Math.round(0.6 * SR)
    let first = 0
    let last = 0
    for (let i = 0; i < 480; i++) {
      first = Math.max(first, Math.abs(x[g + i]))
      last = Math.max(last, Math.abs(x[x.length - 1 - i]))
    }
    expect(last).toBeLessThan(first * 0.01)
  })
})
