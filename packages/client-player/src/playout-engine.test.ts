/**
 * The playout engine against a simulated network: chunks of a known signal published ahead of their server
 * time, delivered with delay and jitter into a real ring (StreamWriter), played block by block.
 */
import { describe, expect, it } from 'vitest'
import { PlayoutEngine } from './playout-engine.js'
import { createStatsBlock, readStat, STAT } from './playout-stats.js'
import { StreamWriter } from './stream-writer.js'

const SR = 48_000
const CHUNK = 4800
/** The stream's signal at a frame: 440 Hz left, 330 Hz right (amplitude 0.5). */
const signal = (c: number, f: number) => Math.fround(0.5 * Math.sin((2 * Math.PI * (c ? 330 : 440) * f) / SR))
/** Largest sample-to-sample step of the signal: a larger one in the output is a click. */
const NATURAL_STEP = 0.5 * 2 * Math.PI * 440 / SR

/** A deterministic PRNG (mulberry32). */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Sim {
  seconds: number
  bufferMs?: number
  leadS?: number
  /** Network delay (s) of chunk k. */
  delay?: (k: number) => number
  /** Chunks never delivered. */
  lost?: (k: number) => boolean
  /** Stream time (s) at context time t: default t + 10 (context starts 10 s into the stream). */
  streamAt?: (t: number) => number
  /** Clock updates per second (the player's ticks). */
  clockHz?: number
  /** Called at each block with the engine (to change settings mid-run). */
  onBlock?: (t: number, engine: PlayoutEngine) => void
}

function simulate(s: Sim) {
  const stats = createStatsBlock()
  const engine = new PlayoutEngine({ channels: 2, streamRate: SR, outputRate: SR, bufferMs: s.bufferMs ?? 300 }, stats)
  const writer = new StreamWriter({ channels: 2, sampleRate: SR, onRing: (ring, frame) => engine.attach(ring, frame) })
  const streamAt = s.streamAt ?? ((t: number) => t + 10)
  const lead = s.leadS ?? 0.6
  const delay = s.delay ?? (() => 0.002)
  // Chunk k (stream time k·0.1 s) is published `lead` before it starts and arrives `delay(k)` later, in order.
  const arrivals: { k: number; at: number }[] = []
  let last = -Infinity
  const firstK = Math.ceil((streamAt(0) + lead) * 10)
  for (let k = firstK; k < firstK + s.seconds * 10 + 20; k++) {
    if (s.lost?.(k)) continue
    last = Math.max(last, k * 0.1 - lead + delay(k))
    arrivals.push({ k, at: last })
  }
  // Context time of a stream time (inverse of streamAt by bisection: streamAt is increasing).
  const ctxAt = (st: number) => {
    let lo = -100, hi = 1000
    for (let i = 0; i < 80; i++) { const m = (lo + hi) / 2; if (streamAt(m) < st) lo = m; else hi = m }
    return lo
  }
  const out = [new Float32Array(s.seconds * SR), new Float32Array(s.seconds * SR)]
  const block = [new Float32Array(128), new Float32Array(128)]
  const rates: number[] = []
  let next = 0
  let lastClock = -Infinity
  for (let b = 0; b * 128 < out[0].length; b++) {
    const t = (b * 128) / SR
    while (next < arrivals.length && ctxAt(arrivals[next].k * 0.1 - lead) + (arrivals[next].at - (arrivals[next].k * 0.1 - lead)) <= t) {
      const k = arrivals[next++].k
      writer.write(k * CHUNK, [0, 1].map((c) => Float32Array.from({ length: CHUNK }, (_, i) => signal(c, k * CHUNK + i))))
    }
    if (t - lastClock >= 1 / (s.clockHz ?? 40)) {
      engine.setClock((streamAt(t) - t) * 1000)
      lastClock = t
    }
    s.onBlock?.(t, engine)
    engine.render(block, b * 128)
    out[0].set(block[0], b * 128)
    out[1].set(block[1], b * 128)
    if (readStat(stats, STAT.state) === 2) rates.push(1 + readStat(stats, STAT.rateDeviationPpb) / 1e9)
  }
  const stat = (k: keyof typeof STAT) => readStat(stats, STAT[k])
  const maxStep = (from = 0, to = out[0].length) => {
    let m = 0
    for (let i = Math.max(1, from); i < to; i++) m = Math.max(m, Math.abs(out[0][i] - out[0][i - 1]))
    return m
  }
  /** Context frame where the first received chunk starts. */
  const firstDataFrame = Math.round(arrivals[0].k * CHUNK - streamAt(0) * SR)
  return { out, stat, rates, writer, maxStep, streamAt, firstDataFrame }
}

describe('playout engine on a simulated network', () => {
  it('plays on server time, sample for sample, when the audio arrives ahead (no underrun, rate exactly 1)', () => {
    const r = simulate({ seconds: 5 })
    expect(r.stat('underruns')).toBe(0)
    expect(r.stat('delayFrames')).toBe(0)
    expect(r.rates.every((x) => x === 1)).toBe(true)
    // Stream frame heard at context frame i is (i/SR + 10)·SR: compare from the end of the 5 ms fade-in.
    expect(r.stat('firstAudioContextFrame')).toBeLessThan(r.firstDataFrame) // started on server time, before the audio's frames
    expect(r.out[0].subarray(0, r.firstDataFrame).every((x) => x === 0)).toBe(true) // silence until the first frame received
    expect(r.maxStep()).toBeLessThanOrEqual(NATURAL_STEP * 1.01) // which fades in
    let maxErr = 0
    for (let i = r.firstDataFrame + 256; i < r.out[0].length; i++) {
      const f = i + 10 * SR
      maxErr = Math.max(maxErr, Math.abs(r.out[0][i] - signal(0, f)), Math.abs(r.out[1][i] - signal(1, f)))
    }
    expect(maxErr).toBe(0)
    expect(r.maxStep()).toBeLessThanOrEqual(NATURAL_STEP * 1.01)
  })

  it('rides out 50 ± 40 ms of per-chunk jitter with the default 300 ms buffer: no underrun, still on server time', () => {
    const rnd = prng(7)
    const r = simulate({ seconds: 20, delay: () => 0.05 + (rnd() * 2 - 1) * 0.04 })
    expect(r.stat('underruns')).toBe(0)
    expect(r.stat('delayFrames')).toBe(0)
    expect(r.stat('depthFrames') / SR).toBeGreaterThan(0.4)
  })

  it('falls behind server time just enough when the audio arrives late (900 ms ± 60 ms for a 0.6 s lead)', () => {
    const rnd = prng(3)
    const r = simulate({ seconds: 30, delay: () => 0.9 + (rnd() * 2 - 1) * 0.06 })
    // Lateness ≈ 0.3 s + 0.06 s jitter + 0.1 s chunk: wanted delay ≈ lateness + 0.3 s buffer.
    const wanted = r.stat('wantedDelayFrames') / SR
    expect(wanted).toBeGreaterThan(0.55)
    expect(wanted).toBeLessThan(0.85)
    expect(Math.abs(r.stat('delayFrames') / SR - wanted)).toBeLessThan(0.03) // slewing after the window's maximum moved
    expect(r.stat('underruns')).toBe(0)
    expect(Math.max(...r.rates.map((x) => Math.abs(x - 1)))).toBeLessThanOrEqual(0.005 + 1e-9)
  })

  it('follows a context clock running 300 ppm fast by slowing playback 300 ppm on average (no underrun, delay within the 5 ms deadband)', () => {
    const r = simulate({ seconds: 60, streamAt: (t) => 10 + t * (1 - 300e-6) })
    expect(r.stat('underruns')).toBe(0)
    expect(Math.abs(r.stat('delayFrames'))).toBeLessThan(0.0055 * SR)
    const late = r.rates.slice(-Math.round((30 * SR) / 128))
    const mean = late.reduce((a, b) => a + b, 0) / late.length
    expect(mean).toBeGreaterThan(1 - 400e-6)
    expect(mean).toBeLessThan(1 - 200e-6)
    expect(r.maxStep()).toBeLessThanOrEqual(NATURAL_STEP * 1.05)
  })

  it('goes silent on an outage (one underrun, no crash) and resumes on server time from a replayed backlog, without a click', () => {
    // Chunks meant to arrive during 3–5 s arrive together at 5 s (a reconnect replays what was missed).
    const r = simulate({ seconds: 12, delay: (k) => { const pub = k * 0.1 - 0.6 - 10; return pub >= 3 && pub < 5 ? 5 - pub + 0.05 : 0.01 } })
    expect(r.stat('underruns')).toBe(1)
    const silentS = r.stat('underrunFrames') / SR
    expect(silentS).toBeGreaterThan(1.3)
    expect(silentS).toBeLessThan(1.5)
    expect(r.stat('skippedFrames') / SR).toBeCloseTo(silentS, 1) // the stretch it missed is dropped, not played late
    expect(Math.abs(r.stat('delayFrames'))).toBeLessThan(0.005 * SR) // back on server time
    expect(r.out[0].every(Number.isFinite)).toBe(true)
    expect(r.maxStep()).toBeLessThanOrEqual(NATURAL_STEP * 1.05) // decays and fades: no step anywhere
  })

  it('skips excess delay at once (with fades) when a slow network recovers, back onto server time', () => {
    const r = simulate({ seconds: 14, delay: (k) => (k * 0.1 - 10.6 < 4 ? 1.2 : 0.02) })
    expect(r.stat('skips')).toBe(1)
    expect(r.stat('underruns')).toBe(0)
    expect(Math.abs(r.stat('delayFrames'))).toBeLessThan(0.005 * SR)
    expect(r.maxStep()).toBeLessThanOrEqual(NATURAL_STEP * 1.05)
  })

  it('fades in at the first frame received after a pre-roll, also while the rate is correcting (no one-sample glitch)', () => {
    // The clock mapping jumps by 20 ms just before the audio arrives: the start lands on a fractional playhead.
    const r = simulate({ seconds: 3, streamAt: (t) => 10 + t + (t > 0.05 ? 0.02 : 0) })
    expect(r.stat('underruns')).toBe(0)
    expect(r.maxStep()).toBeLessThanOrEqual(NATURAL_STEP * 1.05)
  })

  it('fills a lost chunk with silence: no underrun, a counted gap, no click', () => {
    const r = simulate({ seconds: 5, lost: (k) => k === 130 })
    expect(r.stat('underruns')).toBe(0)
    expect(r.writer.stats.gaps).toBe(1)
    expect(r.maxStep()).toBeLessThanOrEqual(NATURAL_STEP * 1.05)
  })

  it('applies a new buffer depth while playing (late audio: the wanted delay grows by the difference)', () => {
    const r = simulate({ seconds: 16, delay: () => 0.8, onBlock: (t, e) => { if (Math.abs(t - 4) < 1e-3) e.setBufferMs(500) } })
    const wanted = r.stat('wantedDelayFrames') / SR
    expect(wanted).toBeCloseTo(0.8 - 0.6 + 0.5, 2) // lateness 0.2 s + the new 0.5 s depth
    expect(Math.abs(r.stat('delayFrames') / SR - wanted)).toBeLessThan(0.01)
    expect(r.stat('holds')).toBe(1) // the 0.2 s of extra delay came as one faded pause, not 40 s of slewing
    expect(r.stat('underruns')).toBe(0)
    expect(r.maxStep()).toBeLessThanOrEqual(NATURAL_STEP * 1.05)
    expect(() => r.writer && new PlayoutEngine({ channels: 2, streamRate: SR, outputRate: SR, bufferMs: 5 }, createStatsBlock())).toThrow(RangeError)
  })

  it('resamples a 48 kHz stream to a 44.1 kHz context at the right pitch', () => {
    const stats = createStatsBlock()
    const e = new PlayoutEngine({ channels: 2, streamRate: SR, outputRate: 44_100, bufferMs: 300 }, stats)
    const w = new StreamWriter({ channels: 2, sampleRate: SR, onRing: (ring, frame) => e.attach(ring, frame) })
    w.write(0, [0, 1].map((c) => Float32Array.from({ length: 2 * SR }, (_, i) => signal(c, i))))
    e.setClock(0)
    const out = new Float32Array(44_100)
    const block = [new Float32Array(128), new Float32Array(128)]
    for (let b = 0; b * 128 + 128 <= out.length; b++) {
      e.render(block, b * 128)
      out.set(block[0], b * 128)
    }
    // Zero crossings upward over the last 0.5 s → frequency.
    let ups = 0
    for (let i = 22_050; i < 44_032; i++) if (out[i - 1] < 0 && out[i] >= 0) ups++
    expect(ups / ((44_032 - 22_050) / 44_100)).toBeCloseTo(440, -1)
    expect(readStat(stats, STAT.underruns)).toBe(0)
  })
})
