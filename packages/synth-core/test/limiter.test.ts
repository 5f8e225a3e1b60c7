import { describe, expect, it } from 'vitest'
import type { NoteEvent } from '@auralis/protocol'
import { LookaheadLimiter, renderOfflineSync } from '../src/index.js'
import { SR } from './helpers.js'
import { db, peak } from './util/dsp.js'

const CEILING = Math.pow(10, -1 / 20)

describe('look-ahead limiter', () => {
  it('keeps a hot signal at or below −1 dBFS', () => {
    const lim = new LookaheadLimiter(SR, 2)
    const n = SR * 2
    const l = new Float64Array(n)
    const r = new Float64Array(n)
    let s = 1
    for (let i = 0; i < n; i++) {
      s = (s * 1103515245 + 12345) % 2147483648
      const burst = i % 9000 < 40 ? 8 : 1 // sharp transients
      l[i] = 3 * Math.sin(i * 0.01) * burst + (s / 2147483648 - 0.5)
      r[i] = -2 * Math.sin(i * 0.013) * burst
    }
    const ol = new Float64Array(n)
    const or = new Float64Array(n)
    for (let i = 0; i < n; i += 100) lim.process([l.subarray(i, i + 100), r.subarray(i, i + 100)], [ol.subarray(i, i + 100), or.subarray(i, i + 100)], 100)
    expect(peak(ol)).toBeLessThanOrEqual(CEILING)
    expect(peak(or)).toBeLessThanOrEqual(CEILING)
    expect(peak(ol)).toBeGreaterThan(CEILING * 0.95) // it limits, it does not squash
  })

  it('is transparent on quiet input: output = input delayed by the look-ahead, bit-exact', () => {
    const lim = new LookaheadLimiter(SR, 1)
    const n = 20000
    const x = new Float64Array(n)
    for (let i = 0; i < n; i++) x[i] = 0.8 * Math.sin(i * 0.031) * Math.sin(i * 0.0007)
    const y = new Float64Array(n)
    lim.process([x], [y], n)
    const L = lim.latency
    for (let i = 0; i < L; i++) expect(y[i]).toBe(0)
    for (let i = L; i < n; i++) if (y[i] !== x[i - L]) throw new Error(`differs at ${i}`)
  })

  it('a hot mix of many loud voices renders at ≤ −1 dBFS', () => {
    const events: NoteEvent[] = []
    for (let i = 0; i < 40; i++) {
      events.push({ t: i * 0.05, d: 1.5, inst: 'bass', note: 28 + (i % 12), vel: 127 })
      events.push({ t: i * 0.05, d: 0.2, inst: 'kick', note: 36, vel: 127 })
      events.push({ t: i * 0.05, d: 1, inst: 'lead', note: 60 + (i % 24), vel: 127 })
    }
    const out = renderOfflineSync(events, { tail: 1 })
    const unlimited = renderOfflineSync(events, { tail: 1, effects: { limiter: false } })
    expect(db(peak(unlimited.channels[0]))).toBeGreaterThan(3) // genuinely hot
    for (const c of out.channels) expect(db(peak(c))).toBeLessThanOrEqual(-1)
  })
})
