/// <reference types="@webgpu/types" />
/**
 * Parity of the WebGPU kernels with the CPU engine on the adapter at hand (SwiftShader in CI): every instrument
 * at the ends of its range and two velocities, a full mixed score through effects and the limiter, a batch of
 * independent streams (one submission), batches forced into many rounds and several submissions, and `auto`.
 * Without an adapter these tests FAIL when CI or AURALIS_REQUIRE_WEBGPU is set, and are skipped otherwise.
 */
import { INSTRUMENTS, INSTRUMENT_IDS, type NoteEvent, type Section } from '@auralis/protocol'
import { describe, expect, it } from 'vitest'
import { BackendUnavailableError } from '../backend.js'
import { renderOffline, renderOfflineSync, type RenderedAudio } from '../render.js'
import { chooseOfflineBackend } from './offline.js'
import { nodeGpu, webgpuRequired } from './node-gpu.testutil.js'
import { createGpuRenderer, type BatchStream } from './renderer.js'

const TOL = 1e-3
const DRY = { reverb: 0, delay: 0, limiter: false } as const

function compare(gpu: RenderedAudio, cpu: RenderedAudio): { maxDiff: number; peak: number } {
  expect(gpu.sampleRate).toBe(cpu.sampleRate)
  expect(gpu.channels.length).toBe(cpu.channels.length)
  let maxDiff = 0
  let peak = 0
  gpu.channels.forEach((g, c) => {
    const x = cpu.channels[c]
    expect(g.length).toBe(x.length)
    for (let i = 0; i < g.length; i++) {
      if (!Number.isFinite(g[i])) throw new Error(`GPU sample ${i} of channel ${c} is ${g[i]}`)
      const d = Math.abs(g[i] - x[i])
      if (d > maxDiff) maxDiff = d
      if (Math.abs(x[i]) > peak) peak = Math.abs(x[i])
    }
  })
  return { maxDiff, peak }
}

function section(index: number, startTime: number, bpm: number, events: NoteEvent[]): Section {
  return {
    index, startTime, bar: index * 2, bpm, bars: 2, beatsPerBar: 4, key: 'C', mode: 'dorian', style: 'jazz',
    intensity: 0.5, swing: 0.5, chords: [], events, source: 'algorithmic',
  }
}

/** Every instrument once, overlapping, in two sections with a tempo change (≈ 3 s). */
function mixedScore(shift = 0): Section[] {
  const a: NoteEvent[] = [
    { t: 0, d: 1.2, inst: 'pad', note: 48 + shift, vel: 80 }, { t: 0, d: 1.2, inst: 'pad', note: 55 + shift, vel: 80 },
    { t: 0, d: 0.2, inst: 'kick', note: 36, vel: 110 }, { t: 0.25, d: 0.1, inst: 'hat', note: 42, vel: 70 },
    { t: 0.4, d: 0.3, inst: 'bass', note: 36 + shift, vel: 100 }, { t: 0.5, d: 0.2, inst: 'snare', note: 38, vel: 90 },
    { t: 0.6, d: 0.4, inst: 'pluck', note: 67 + shift, vel: 100 }, { t: 0.7, d: 0.5, inst: 'lead', note: 72 + shift, vel: 90 },
    { t: 0.9, d: 0.3, inst: 'clap', note: 39, vel: 90 },
  ]
  const b: NoteEvent[] = [
    { t: 0, d: 0.5, inst: 'piano', note: 60 + shift, vel: 90 }, { t: 0, d: 0.5, inst: 'keys', note: 64 + shift, vel: 80 },
    { t: 0.1, d: 0.7, inst: 'sax', note: 70 + shift, vel: 100 }, { t: 0.2, d: 0.4, inst: 'bell', note: 84 + shift, vel: 80 },
    { t: 0.3, d: 0.3, inst: 'ride', note: 51, vel: 80 }, { t: 0.4, d: 0.3, inst: 'openhat', note: 46, vel: 80 },
    { t: 0.5, d: 0.6, inst: 'swell', note: 49, vel: 90 },
  ]
  return [section(0, 50, 120, a), section(1, 51.5, 150, b)]
}

const gpu = await nodeGpu()

if (!gpu.ok) {
  if (webgpuRequired()) {
    it('finds a WebGPU adapter (required because CI or AURALIS_REQUIRE_WEBGPU is set)', () => {
      throw new Error(gpu.reason)
    })
  } else {
    it.skip(`WebGPU parity — skipped: ${gpu.reason} (set AURALIS_REQUIRE_WEBGPU=1 to make this fail)`, () => {})
  }
} else {
  const { device, info } = gpu
  const renderer = await createGpuRenderer(device)

  describe(`WebGPU kernels on ${info.vendor} ${info.architecture} (fallback: ${String(info.isFallbackAdapter)})`, () => {
    it('every instrument, at both ends of its range and at two velocities, matches the CPU voice within 1e-3', async () => {
      const cases: { id: string; note: number; vel: number; input: NoteEvent[] }[] = []
      for (const id of INSTRUMENT_IDS) {
        const inst = INSTRUMENTS[id]
        const notes = inst.drumNote !== undefined ? [inst.drumNote] : [inst.range[0], inst.range[1]]
        for (const note of notes) {
          for (const vel of [45, 127]) {
            const d = id === 'swell' ? 0.6 : 0.3
            cases.push({ id, note, vel, input: [{ t: 0.01, d, inst: id, note, vel }] })
          }
        }
      }
      // One batch: each case is its own stream.
      const streams: BatchStream[] = cases.map((c) => ({ input: c.input, options: { tail: 0, effects: DRY, seed: 3 } }))
      const out = await renderer.renderBatch(streams)
      expect(renderer.lastStats?.submissions).toBe(1)
      expect(renderer.lastStats?.streams).toBe(cases.length)
      const worst: string[] = []
      cases.forEach((c, i) => {
        const cpu = renderOfflineSync(c.input, { tail: 0, effects: DRY, seed: 3 })
        const { maxDiff, peak } = compare(out[i], cpu)
        expect(peak, `${c.id} ${c.note}/${c.vel} is audible`).toBeGreaterThan(0.005)
        expect(maxDiff, `${c.id} note ${c.note} vel ${c.vel}`).toBeLessThan(TOL)
        worst.push(`${c.id}:${maxDiff.toExponential(1)}`)
      })
      console.log(`per-instrument max |GPU − CPU|: ${worst.join(' ')}`)
    })

    it("renderOffline({ backend: 'webgpu', device }) of a mixed score with effects and limiter matches the CPU engine", async () => {
      const score = mixedScore()
      const gpuOut = await renderOffline(score, { backend: 'webgpu', device, tail: 1 })
      const cpuOut = renderOfflineSync(score, { tail: 1 })
      const { maxDiff, peak } = compare(gpuOut, cpuOut)
      expect(peak).toBeGreaterThan(0.1)
      expect(peak).toBeLessThanOrEqual(10 ** (-1 / 20) + 1e-6)
      expect(maxDiff).toBeLessThan(TOL)
    })

    it('renderBatch of N independent streams equals N separate CPU renders, in one submission', async () => {
      const streams: BatchStream[] = [
        { input: mixedScore(0), options: { tail: 0.5 } },
        { input: mixedScore(5), options: { tail: 0.3, seed: 99 } },
        { input: mixedScore(-3), options: { tail: 0.2, channels: 1, effects: { masterGain: 0.7 } } },
        { input: [{ t: 0.05, d: 2.6, inst: 'pad', note: 52, vel: 100 }, { t: 1.9, d: 0.2, inst: 'pluck', note: 40, vel: 127 }], options: { tail: 0 } },
        { input: [], options: { tail: 0.25 } },
      ]
      const out = await renderer.renderBatch(streams)
      expect(out).toHaveLength(streams.length)
      expect(renderer.lastStats?.submissions).toBe(1)
      streams.forEach((s, i) => {
        const cpu = renderOfflineSync(s.input, s.options)
        const { maxDiff } = compare(out[i], cpu)
        expect(maxDiff, `stream ${i}`).toBeLessThan(TOL)
      })
      // The empty stream is exact silence of its tail's length.
      expect(out[4].channels[0].length).toBe(12000)
      expect(out[4].channels.every((c) => c.every((x) => x === 0))).toBe(true)
    })

    it('state carries across rounds and submissions: small rounds and a small output buffer give the same samples', async () => {
      const small = await createGpuRenderer(device, { block: 512, maxOutputBytes: 2 * 4 * 4 * 512 * 8 })
      const streams: BatchStream[] = [
        { input: mixedScore(2), options: { tail: 0, effects: DRY } },
        { input: [{ t: 0, d: 1.0, inst: 'pluck', note: 45, vel: 110 }, { t: 0.3, d: 0.8, inst: 'bass', note: 33, vel: 90 }], options: { tail: 0, effects: DRY } },
      ]
      const out = await small.renderBatch(streams)
      const stats = small.lastStats!
      expect(stats.block).toBe(512)
      expect(stats.submissions).toBeGreaterThan(5)
      streams.forEach((s, i) => {
        const { maxDiff } = compare(out[i], renderOfflineSync(s.input, s.options))
        expect(maxDiff, `stream ${i}`).toBeLessThan(TOL)
      })
    })

    it("'auto' keeps the CPU engine on this fallback adapter (bit-identical to the CPU render)", async () => {
      expect(info.isFallbackAdapter).toBe(true)
      const choice = await chooseOfflineBackend({ backend: 'auto', device })
      expect(choice.backend).toBe('cpu')
      expect(choice.reason).toMatch(/fallback/)
      const score = mixedScore()
      const auto = await renderOffline(score, { backend: 'auto', device, tail: 0.2 })
      const cpu = renderOfflineSync(score, { tail: 0.2 })
      auto.channels.forEach((c, i) => expect(Buffer.from(c.buffer).equals(Buffer.from(cpu.channels[i].buffer))).toBe(true))
    })

    it("'webgpu' without a device is a BackendUnavailableError; bad streams are typed errors", async () => {
      await expect(renderOffline([], { backend: 'webgpu' })).rejects.toBeInstanceOf(BackendUnavailableError)
      await expect(renderer.renderBatch([{ nope: 1 } as unknown as BatchStream])).rejects.toBeInstanceOf(TypeError)
      await expect(renderer.renderBatch([{ input: [], options: { sampleRate: 44100 } as never }])).rejects.toBeInstanceOf(RangeError)
      await expect(renderer.renderBatch([{ input: [{ t: 0, d: 1, inst: 'nope' as never, note: 60, vel: 100 }] }])).rejects.toBeInstanceOf(RangeError)
      await expect(createGpuRenderer({} as GPUDevice)).rejects.toBeInstanceOf(TypeError)
    })
  })
}
