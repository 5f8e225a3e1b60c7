import { INSTRUMENTS, INSTRUMENT_IDS, type InstrumentId, type NoteEvent } from '@auralis/protocol'
import { describe, expect, it } from 'vitest'
import {
  BackendUnavailableError, Engine, PRESETS, createStreamRenderer, encodeWav, renderNote, renderOffline,
  renderOfflineSync, resolveBackend, toTimeline,
} from '../src/index.js'
import { SR, testSections } from './helpers.js'
import { db, goertzel, peak, peakFrequency, powerSpectrum } from './util/dsp.js'

const DRUMS = INSTRUMENT_IDS.filter((id) => INSTRUMENTS[id].drum)
const MELODIC = INSTRUMENT_IDS.filter((id) => !INSTRUMENTS[id].drum)

function assertFinite(chs: Float32Array[]): void {
  for (const c of chs) for (let i = 0; i < c.length; i++) if (!Number.isFinite(c[i])) throw new Error(`non-finite sample at ${i}`)
}

describe('presets', () => {
  it('there is a preset for every instrument id', () => {
    for (const id of INSTRUMENT_IDS) expect(PRESETS[id], id).toBeDefined()
  })

  for (const id of MELODIC) {
    it(`${id}: the note's fundamental is present in the spectrum`, () => {
      const [lo, hi] = INSTRUMENTS[id].range
      const note = Math.max(lo, Math.min(hi, 57 + 12 * Math.round((lo + hi) / 2 / 12 - 57 / 12)))
      const x = renderNote(id, note, 100, 1.2)
      const f0 = 440 * Math.pow(2, (note - 69) / 12)
      const n = 1 << 15
      const start = Math.min(x.length - n, Math.round(0.1 * SR))
      const seg = x.subarray(start, start + n)
      const p = powerSpectrum(seg, n)
      const max = Math.max(...p)
      const bin = Math.round((f0 * n) / SR)
      const atF0 = Math.max(p[bin - 1], p[bin], p[bin + 1])
      expect(10 * Math.log10(atF0 / max), `${id} note ${note}`).toBeGreaterThan(-20)
      // and it is a peak well above the spectrum a quarter of the way to the neighbouring harmonics
      const off = Math.round(bin / 4)
      expect(atF0).toBeGreaterThan(100 * Math.max(p[bin - off], p[bin + off]))
    })
  }

  for (const id of DRUMS) {
    it(`${id}: sounds, decays and ends`, () => {
      const x = renderNote(id, INSTRUMENTS[id].drumNote ?? 36, 110, id === 'swell' ? 1 : 0.1)
      let e = 0
      for (let i = 0; i < x.length; i++) e += x[i] * x[i]
      expect(e).toBeGreaterThan(1e-3)
      expect(x[x.length - 1]).toBeCloseTo(0, 3)
    })
  }

  it('the kick sweeps its pitch down', () => {
    const x = renderNote('kick', 36, 120, 0.2)
    const early = peakFrequency(x.subarray(0, 1024), SR, 1 << 14)
    const late = peakFrequency(x.subarray(SR / 5, SR / 5 + 8192), SR, 1 << 14)
    expect(early).toBeGreaterThan(100)
    expect(late).toBeGreaterThan(40)
    expect(late).toBeLessThan(60)
  })

  it('velocity sets level and brightness', () => {
    const loud = renderNote('sax', 62, 127, 0.5)
    const soft = renderNote('sax', 62, 40, 0.5)
    const f0 = 440 * Math.pow(2, (62 - 69) / 12)
    const l1 = goertzel(loud, f0, SR, 12000, 8192)
    const s1 = goertzel(soft, f0, SR, 12000, 8192)
    const l5 = goertzel(loud, 5 * f0, SR, 12000, 8192)
    const s5 = goertzel(soft, 5 * f0, SR, 12000, 8192)
    expect(l1).toBeGreaterThan(s1 * 2)
    expect(l5 / l1).toBeGreaterThan((s5 / s1) * 2)
  })
})

describe('renderOffline', () => {
  it('no NaN/Inf over long renders of every preset, at the range extremes', () => {
    const events: NoteEvent[] = []
    let t = 0
    for (const id of INSTRUMENT_IDS) {
      for (const note of [0, INSTRUMENTS[id].range[0], INSTRUMENTS[id].range[1], 127]) {
        for (const vel of [1, 127]) {
          events.push({ t, d: 0.4, inst: id, note, vel })
          t += 0.05
        }
      }
    }
    for (const id of INSTRUMENT_IDS) events.push({ t: 1, d: 20, inst: id, note: INSTRUMENTS[id].range[0], vel: 100 })
    const out = renderOfflineSync(events, { tail: 3 })
    assertFinite(out.channels)
    expect(out.channels[0].length).toBeGreaterThan(24 * SR)
  })

  it('silence in → silence out (exactly zero)', () => {
    const out = renderOfflineSync([], { tail: 1 })
    expect(out.channels).toHaveLength(2)
    expect(out.channels[0].length).toBe(SR)
    for (const c of out.channels) for (let i = 0; i < c.length; i++) if (c[i] !== 0) throw new Error(`non-zero at ${i}`)
  })

  it('tails return to exactly zero (denormals flushed, no DC)', () => {
    const out = renderOfflineSync([{ t: 0, d: 0.3, inst: 'pad', note: 60, vel: 100 }, { t: 0, d: 0.3, inst: 'pluck', note: 60, vel: 100 }], { tail: 60 })
    const c = out.channels[0]
    const tail = c.subarray(c.length - SR)
    for (let i = 0; i < tail.length; i++) if (tail[i] !== 0) throw new Error(`non-zero at ${c.length - SR + i}: ${tail[i]}`)
  })

  it('places sections at their startTime relative to the first section', () => {
    const secs = testSections()
    const both = renderOfflineSync(secs, { tail: 0, effects: { reverb: 0, delay: 0, limiter: false } })
    const second = renderOfflineSync([{ ...secs[1], startTime: 100 }], { tail: 0, effects: { reverb: 0, delay: 0, limiter: false } })
    // The first section's voices may still sound at 2 s; a kick-free window of the second section starts at 2 s.
    const k = 2 * SR + Math.round(0.3 * SR)
    const a = both.channels[0].subarray(2 * SR, 2 * SR + 100)
    expect(peak(a)).toBeGreaterThan(0)
    expect(second.channels[0][k - 2 * SR]).not.toBe(0)
    // Sections length: covers the section ends (2 bars at 150 bpm = 3.2 s after 2 s).
    expect(both.channels[0].length).toBeGreaterThanOrEqual(Math.round(5.2 * SR))
  })

  it('is deterministic; the seed changes noise but not the notes', async () => {
    const a = renderOfflineSync(testSections())
    const b = await renderOffline(testSections())
    expect(Buffer.from(a.channels[0].buffer).equals(Buffer.from(b.channels[0].buffer))).toBe(true)
    const c = renderOfflineSync(testSections(), { seed: 99 })
    expect(Buffer.from(a.channels[0].buffer).equals(Buffer.from(c.channels[0].buffer))).toBe(false)
  })

  it('mono output folds the mix', () => {
    const m = renderOfflineSync(testSections(), { channels: 1 })
    expect(m.channels).toHaveLength(1)
    assertFinite(m.channels)
  })

  it('rejects bad input and options with clear errors', () => {
    expect(() => renderOfflineSync([{ t: 0, d: 1, inst: 'tuba' as InstrumentId, note: 60, vel: 100 }])).toThrow(/unknown instrument "tuba"/)
    expect(() => renderOfflineSync([{ t: 0, d: 0, inst: 'pad', note: 60, vel: 100 }])).toThrow(/d must be/)
    expect(() => renderOfflineSync([{ t: 0, d: 1, inst: 'pad', note: 128, vel: 100 }])).toThrow(/note must be/)
    expect(() => renderOfflineSync([], { channels: 3 })).toThrow(/channels must be 1 or 2/)
    expect(() => renderOfflineSync([], { sampleRate: 100 })).toThrow(/sampleRate/)
    expect(() => renderOfflineSync([], { tail: -1 })).toThrow(/tail/)
  })
})

describe('backends', () => {
  it("'cpu' and 'auto' resolve to the CPU engine in the synchronous renderers; 'webgpu' throws a clear error there and without a device", async () => {
    expect(resolveBackend('cpu').name).toBe('cpu')
    expect(resolveBackend('auto').name).toBe('cpu')
    expect(() => resolveBackend('webgpu')).toThrow(BackendUnavailableError)
    await expect(renderOffline([], { backend: 'webgpu' })).rejects.toThrow(BackendUnavailableError)
    expect(() => renderOfflineSync([], { backend: 'webgpu' })).toThrow(/not available to synchronous renderers/)
    expect(() => createStreamRenderer({ backend: 'webgpu' })).toThrow(BackendUnavailableError)
    expect(() => resolveBackend('metal' as 'cpu')).toThrow(/unknown backend/)
  })
})

describe('stream renderer', () => {
  const offline = renderOfflineSync(testSections(), { tail: 1 })
  const total = offline.channels[0].length

  for (const sizes of [[1], [127], [128], [1000], [1, 127, 128, 1000, 3, 4096, 17]]) {
    it(`equals the offline render sample for sample (blocks ${sizes.join(', ')})`, () => {
      const s = createStreamRenderer({ sampleRate: SR, blockSize: 128 })
      s.schedule(testSections())
      const out = [new Float32Array(total), new Float32Array(total)]
      let pos = 0
      let i = 0
      while (pos < total) {
        const n = Math.min(sizes[i++ % sizes.length], total - pos)
        if (n === 1 || i % 2 === 0) s.renderInto(out, pos, n)
        else {
          const block = s.render(n)
          out[0].set(block[0], pos)
          out[1].set(block[1], pos)
        }
        pos += n
      }
      for (let c = 0; c < 2; c++) {
        for (let k = 0; k < total; k++) {
          if (out[c][k] !== offline.channels[c][k]) throw new Error(`channel ${c} frame ${k}: ${out[c][k]} ≠ ${offline.channels[c][k]}`)
        }
      }
      expect(s.position).toBe(total)
    })
  }

  it('sections scheduled one by one, ahead of the render, give the same samples', () => {
    const s = createStreamRenderer({ blockSize: 480 })
    const [a, b] = testSections()
    s.schedule(a)
    const out = [new Float32Array(total), new Float32Array(total)]
    let pos = 0
    while (pos < total) {
      if (pos === SR) s.schedule(b) // 1 s before it starts
      const n = Math.min(480, total - pos)
      s.renderInto(out, pos, n)
      pos += n
    }
    for (let k = 0; k < total; k++) if (out[0][k] !== offline.channels[0][k]) throw new Error(`frame ${k}`)
  })

  it('retires finished voices (a long-running stream does not grow) and validates buffers', () => {
    const s = createStreamRenderer({ blockSize: 512 })
    s.schedule(testSections())
    const e = new Engine({})
    e.schedule(toTimeline(testSections(), SR))
    expect(e.voiceCount.pending).toBe(16)
    e.render(SR)
    expect(e.voiceCount.active).toBeGreaterThan(0)
    e.render(8 * SR)
    expect(e.voiceCount).toEqual({ active: 0, pending: 0 })
    expect(() => s.renderInto([new Float32Array(10), new Float32Array(10)], 5, 10)).toThrow(/shorter than offset \+ frames/)
    expect(() => s.renderInto([new Float32Array(10)], 0, 10)).toThrow(/output channels/)
    expect(() => s.render(-1)).toThrow(/frames must be/)
  })

  it('bare events are placed at `at` seconds of stream time', () => {
    const s = createStreamRenderer({ effects: { reverb: 0, delay: 0, limiter: false } })
    s.schedule([{ t: 0, d: 0.2, inst: 'kick', note: 36, vel: 100 }], { at: 0.5 })
    const block = s.render(SR)
    expect(peak(block[0].subarray(0, SR / 2))).toBe(0)
    expect(peak(block[0].subarray(SR / 2, SR / 2 + 200))).toBeGreaterThan(0.01)
  })
})

describe('encodeWav', () => {
  it('writes 16-bit PCM and 32-bit float RIFF files', () => {
    const audio = { channels: [Float32Array.of(0, 0.5, -1, 2), Float32Array.of(0.25, -0.25, 1, -2)], sampleRate: 44100 }
    const w16 = encodeWav(audio, { bitDepth: 16 })
    const dv = new DataView(w16.buffer)
    const str = (o: number, n: number): string => String.fromCharCode(...w16.subarray(o, o + n))
    expect(str(0, 4)).toBe('RIFF')
    expect(dv.getUint32(4, true)).toBe(w16.length - 8)
    expect(str(8, 4)).toBe('WAVE')
    expect(dv.getUint16(20, true)).toBe(1)
    expect(dv.getUint16(22, true)).toBe(2)
    expect(dv.getUint32(24, true)).toBe(44100)
    expect(dv.getUint16(34, true)).toBe(16)
    expect(str(36, 4)).toBe('data')
    expect(dv.getUint32(40, true)).toBe(16)
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => dv.getInt16(44 + 2 * i, true))).toEqual([0, 8192, 16384, -8192, -32767, 32767, 32767, -32768])
    const w32 = encodeWav(audio, { bitDepth: 32 })
    const dv32 = new DataView(w32.buffer)
    expect(dv32.getUint16(20, true)).toBe(3)
    expect(String.fromCharCode(...w32.subarray(38, 42))).toBe('fact')
    expect(dv32.getUint32(46, true)).toBe(4)
    expect(String.fromCharCode(...w32.subarray(50, 54))).toBe('data')
    expect(dv32.getFloat32(58 + 4 * 3, true)).toBe(-0.25)
    expect(() => encodeWav(audio, { bitDepth: 24 as 16 })).toThrow(/bitDepth/)
  })

  it('encodes a rendered score', () => {
    const out = renderOfflineSync(testSections(), { tail: 0.5 })
    const wav = encodeWav(out)
    expect(wav.length).toBe(44 + out.channels[0].length * 4)
    expect(db(peak(out.channels[0]))).toBeLessThanOrEqual(-1)
  })
})
