/**
 * The batch planner and the adapter policy: pure logic, no GPU needed.
 */
import { describe, expect, it } from 'vitest'
import { PRESETS } from '../presets.js'
import { buildVoice } from '../voice/build.js'
import type { VoiceDescriptor } from '../voice/descriptor.js'
import { isFallbackAdapterInfo, isFallbackDevice } from './adapter.js'
import { chooseOfflineBackend } from './offline.js'
import { BUS_COUNT, BatchTooLargeError, planBatch } from './plan.js'
import { JOB_WORDS, ROUND_STREAM_WORDS, STATE_WORDS } from './wgsl/layout.js'

const voice = (inst: 'pad' | 'pluck' | 'hat', frame: number, gate: number, note = 60): VoiceDescriptor =>
  buildVoice(PRESETS[inst], { frame, note, vel: 100, gate }, { sampleRate: 48000, seed: 1, instrument: inst })

const BIG = { maxScratchWords: 1 << 26, maxOutputWords: 1 << 26 }

describe('planBatch', () => {
  it('lists each round\'s voices by stream, then in voice order, with per-stream job ranges', () => {
    const s0 = [voice('hat', 0, 10), voice('pad', 100, 5000)]
    const s1 = [voice('pluck', 5200, 300)]
    const plan = planBatch([s0, s1], { ...BIG, block: 1024 })
    const ends = [s0, s1].map((vs) => Math.max(...vs.map((v) => v.start + v.length)))
    expect(plan.streamFrames).toEqual(ends)
    expect(plan.roundCount).toBe(Math.ceil(Math.max(...ends) / 1024))
    // Round 5 (frames 5120–6143) has the pad (voice 1, stream 0) and the pluck (voice 2, stream 1); the hat
    // (a one-shot of 4344 frames) has ended.
    const r = 5
    const jobs = Array.from({ length: plan.roundJobCount[r] }, (_, i) => plan.jobs[(plan.roundJobStart[r] + i) * JOB_WORDS])
    expect(jobs).toEqual([1, 2])
    const rs = (s: number): number[] => Array.from(plan.roundStreams.subarray((r * 2 + s) * ROUND_STREAM_WORDS, (r * 2 + s + 1) * ROUND_STREAM_WORDS))
    expect(rs(0).slice(0, 2)).toEqual([0, 1])
    expect(rs(1).slice(0, 2)).toEqual([1, 1])
    // Round 0 has only the hat and the pad.
    expect(plan.roundJobCount[0]).toBe(2)
    expect(plan.groups).toHaveLength(1)
    expect(plan.groups[0].outWords).toBe(BUS_COUNT * (ends[0] + ends[1]))
  })

  it('gives each string a delay line after the per-voice state, and marks rounds needing the recursive kernel', () => {
    const hat = { ...voice('hat', 0, 10), filterMode: 0 }
    const plan = planBatch([[hat, voice('pluck', 8000, 100, 45)]], { ...BIG, block: 1024 })
    const pluck = voice('pluck', 8000, 100, 45)
    expect(plan.stateWords).toBe(2 * STATE_WORDS + pluck.ksDelay + 1)
    const jobOf = (round: number): number[] => Array.from(plan.jobs.subarray(plan.roundJobStart[round] * JOB_WORDS, (plan.roundJobStart[round] + 1) * JOB_WORDS))
    expect(jobOf(7)).toEqual([1, 0, 2 * STATE_WORDS, 0])
    expect(plan.roundRecursive[0]).toBe(0)
    expect(plan.roundRecursive[7]).toBe(1)
  })

  it('halves the block until the scratch fits, and splits output into groups under the limit', () => {
    const many = Array.from({ length: 40 }, (_, i) => voice('pad', i, 20000))
    const plan = planBatch([many], { block: 4096, maxScratchWords: 40 * 1024, maxOutputWords: BUS_COUNT * 8192 })
    expect(plan.block).toBe(1024)
    expect(plan.maxJobs).toBe(40)
    expect(plan.groups.length).toBeGreaterThan(1)
    for (const g of plan.groups) expect(g.outWords).toBeLessThanOrEqual(BUS_COUNT * 8192)
    const covered = plan.groups.reduce((n, g) => n + g.outFrames[0], 0)
    expect(covered).toBe(plan.streamFrames[0])
  })

  it('throws BatchTooLargeError when even the smallest block does not fit, RangeError for a broken voice', () => {
    const many = Array.from({ length: 10 }, () => voice('pad', 0, 1000))
    expect(() => planBatch([many], { maxScratchWords: 100, maxOutputWords: 1 << 20 })).toThrow(BatchTooLargeError)
    expect(() => planBatch([[{ ...voice('hat', 0, 10), length: 0 }]], BIG)).toThrow(RangeError)
  })

  it('plans nothing for empty streams', () => {
    const plan = planBatch([[], []], BIG)
    expect(plan.roundCount).toBe(0)
    expect(plan.streamFrames).toEqual([0, 0])
    expect(plan.groups).toHaveLength(0)
  })
})

describe('adapter policy', () => {
  it('recognizes software adapters', () => {
    expect(isFallbackAdapterInfo({ vendor: 'google', architecture: 'swiftshader' })).toBe(true)
    expect(isFallbackAdapterInfo({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true)
    expect(isFallbackAdapterInfo({ vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: true })).toBe(true)
    expect(isFallbackAdapterInfo({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100' })).toBe(false)
    expect(isFallbackAdapterInfo(undefined)).toBe(true)
  })

  it("'auto' uses a hardware device, keeps the CPU on a software one or without info", async () => {
    const hw = { adapterInfo: { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA A100' } } as unknown as GPUDevice
    const sw = { adapterInfo: { vendor: 'google', architecture: 'swiftshader' } } as unknown as GPUDevice
    expect(isFallbackDevice(hw)).toBe(false)
    expect(isFallbackDevice({} as GPUDevice)).toBe(true)
    expect((await chooseOfflineBackend({ backend: 'auto', device: hw })).backend).toBe('webgpu')
    expect((await chooseOfflineBackend({ backend: 'auto', device: sw })).backend).toBe('cpu')
    expect((await chooseOfflineBackend({ backend: 'auto' })).backend).toBe('cpu')
    expect((await chooseOfflineBackend({ backend: 'webgpu', device: sw })).backend).toBe('webgpu')
    expect((await chooseOfflineBackend({ backend: 'cpu', device: hw })).backend).toBe('cpu')
  })
})
