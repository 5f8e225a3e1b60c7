/// <reference types="@webgpu/types" />
/**
 * Renders planned batches on a device: uploads the voices, jobs and round table, records the three kernels for
 * every round of an output group into one command buffer, submits it once and reads the buses back.
 */
import type { VoiceDescriptor } from '../voice/descriptor.js'
import { GpuRenderError, type Kernels } from './kernels.js'
import { planBatch, type BatchPlan } from './plan.js'
import { MAX_GROUPS_PER_DIM, ROUND_STRIDE, ROUND_WORDS, WORKGROUP } from './wgsl/layout.js'
import { FRAMES_PER_INVOCATION } from './wgsl/sources.js'

/** One stream's voice mix, as the CPU backend fills the engine's buses. */
export interface StreamBuses {
  /** Frames in each bus (the end of the stream's last voice). */
  readonly frames: number
  readonly dryL: Float32Array
  readonly dryR: Float32Array
  /** Mono reverb send. */
  readonly reverb: Float32Array
  /** Mono delay send. */
  readonly delay: Float32Array
}

/** What the last batch took. */
export interface BatchStats {
  readonly streams: number
  readonly voices: number
  /** Jobs summed over rounds (voice × round pairs). */
  readonly jobs: number
  readonly rounds: number
  /** Frames per round. */
  readonly block: number
  /** Kernel dispatches recorded. */
  readonly dispatches: number
  /** Queue submissions (one per output group). */
  readonly submissions: number
  /** Wall-clock milliseconds of the GPU stage: upload, dispatches and read-back (planning excluded). */
  readonly gpuMs: number
}

/** Buffer-size limits for a batch (bytes; the device's limits cap them further). */
export interface DispatchLimits {
  /** Preferred frames per round (power of two). Default 4096. */
  readonly block?: number
  /** Largest scratch signal buffer. Default 64 MiB. */
  readonly maxScratchBytes?: number
  /** Largest output buffer (one submission's buses). Default 128 MiB. */
  readonly maxOutputBytes?: number
}

const MIB = 1 << 20

function buffer(device: GPUDevice, label: string, size: number, usage: number): GPUBuffer {
  return device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage })
}

function upload(device: GPUDevice, label: string, data: ArrayBufferView | ArrayBuffer, usage: number): GPUBuffer {
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  const b = buffer(device, label, bytes.byteLength, usage | GPUBufferUsage.COPY_DST)
  if (bytes.byteLength > 0) device.queue.writeBuffer(b, 0, bytes)
  return b
}

function roundUniforms(plan: BatchPlan, sampleRate: number): ArrayBuffer {
  const data = new ArrayBuffer(Math.max(1, plan.roundCount) * ROUND_STRIDE)
  const u = new Uint32Array(data)
  const f = new Float32Array(data)
  const group = new Uint32Array(plan.roundCount)
  for (const g of plan.groups) group.fill(g.frameStart, g.roundStart, g.roundEnd)
  for (let r = 0; r < plan.roundCount; r++) {
    const o = (r * ROUND_STRIDE) / 4
    u[o] = r * plan.block
    u[o + 1] = plan.roundJobStart[r]
    u[o + 2] = plan.roundJobCount[r]
    u[o + 3] = plan.block
    u[o + 4] = plan.streamCount
    u[o + 5] = group[r]
    u[o + 6] = r * plan.streamCount
    f[o + 7] = sampleRate
  }
  return data
}

function grid(n: number): [number, number] {
  return [Math.min(n, MAX_GROUPS_PER_DIM), Math.ceil(n / MAX_GROUPS_PER_DIM)]
}

/**
 * Renders the voices of many independent streams (voice starts relative to each stream's frame 0) into each
 * stream's buses. A batch whose buses fit `maxOutputBytes` is one queue submission.
 */
export async function dispatchBatch(
  device: GPUDevice, kernels: Kernels, sampleRate: number, streams: readonly (readonly VoiceDescriptor[])[],
  limits: DispatchLimits = {},
): Promise<{ buses: StreamBuses[]; stats: BatchStats }> {
  const binding = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize)
  const plan = planBatch(streams, {
    block: limits.block,
    maxScratchWords: Math.floor(Math.min(binding, limits.maxScratchBytes ?? 64 * MIB) / 4),
    maxOutputWords: Math.floor(Math.min(binding, limits.maxOutputBytes ?? 128 * MIB) / 4),
  })
  const buses: StreamBuses[] = plan.streamFrames.map((frames) => ({
    frames,
    dryL: new Float32Array(frames), dryR: new Float32Array(frames), reverb: new Float32Array(frames), delay: new Float32Array(frames),
  }))
  let dispatches = 0
  const t0 = performance.now()
  const stats = (): BatchStats => ({
    streams: plan.streamCount, voices: plan.voiceCount, jobs: plan.jobs.length / 4, rounds: plan.roundCount,
    block: plan.block, dispatches, submissions: plan.groups.length, gpuMs: performance.now() - t0,
  })
  if (plan.roundCount === 0) return { buses, stats: stats() }

  const S = GPUBufferUsage.STORAGE
  const created: GPUBuffer[] = []
  const track = (b: GPUBuffer): GPUBuffer => (created.push(b), b)
  device.pushErrorScope('out-of-memory')
  device.pushErrorScope('validation')
  try {
    const uniforms = track(upload(device, 'auralis rounds', roundUniforms(plan, sampleRate), GPUBufferUsage.UNIFORM))
    const voices = track(upload(device, 'auralis voices', plan.voices, S))
    const jobs = track(upload(device, 'auralis jobs', plan.jobs, S))
    const roundStreams = track(upload(device, 'auralis round streams', plan.roundStreams, S))
    const scratch = plan.maxJobs * plan.block * 4
    const sig = [0, 1, 2].map((i) => track(buffer(device, `auralis sig${i}`, scratch, S)))
    const state = track(buffer(device, 'auralis state', plan.stateWords * 4, S))
    const outBytes = Math.max(...plan.groups.map((g) => g.outWords)) * 4
    const out = track(buffer(device, 'auralis buses', outBytes, S | GPUBufferUsage.COPY_SRC))
    const readback = track(buffer(device, 'auralis readback', outBytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST))
    const uni: GPUBufferBinding = { buffer: uniforms, size: ROUND_WORDS * 4 }
    const bind = (layout: GPUBindGroupLayout, list: GPUBuffer[]): GPUBindGroup => device.createBindGroup({
      layout, entries: [{ binding: 0, resource: uni }, ...list.map((b, i) => ({ binding: i + 1, resource: { buffer: b } }))],
    })
    const bgSources = bind(kernels.sourcesLayout, [voices, jobs, ...sig])
    const bgRecursive = bind(kernels.recursiveLayout, [voices, jobs, ...sig, state])
    const bgMix = bind(kernels.mixLayout, [voices, jobs, sig[0], roundStreams, out])
    const framesX = Math.ceil(plan.block / WORKGROUP)
    const sourcesX = Math.ceil(plan.block / (WORKGROUP * FRAMES_PER_INVOCATION))
    const [streamsY, streamsZ] = grid(plan.streamCount)

    for (const g of plan.groups) {
      const encoder = device.createCommandEncoder({ label: 'auralis batch' })
      const pass = encoder.beginComputePass({ label: 'auralis rounds' })
      for (let r = g.roundStart; r < g.roundEnd; r++) {
        const offset = [r * ROUND_STRIDE]
        const jobsInRound = plan.roundJobCount[r]
        if (jobsInRound > 0) {
          const [y, z] = grid(jobsInRound)
          pass.setPipeline(kernels.sources)
          pass.setBindGroup(0, bgSources, offset)
          pass.dispatchWorkgroups(sourcesX, y, z)
          dispatches++
          if (plan.roundRecursive[r]) {
            pass.setPipeline(kernels.recursive)
            pass.setBindGroup(0, bgRecursive, offset)
            pass.dispatchWorkgroups(Math.ceil(jobsInRound / WORKGROUP))
            dispatches++
          }
        }
        pass.setPipeline(kernels.mix)
        pass.setBindGroup(0, bgMix, offset)
        pass.dispatchWorkgroups(framesX, streamsY, streamsZ)
        dispatches++
      }
      pass.end()
      encoder.copyBufferToBuffer(out, 0, readback, 0, g.outWords * 4)
      device.queue.submit([encoder.finish()])
      if (g.outWords === 0) continue
      await readback.mapAsync(GPUMapMode.READ, 0, g.outWords * 4)
      const data = new Float32Array(readback.getMappedRange(0, g.outWords * 4))
      g.outFrames.forEach((n, s) => {
        if (n === 0) return
        const b = buses[s]
        const base = g.outBase[s]
        b.dryL.set(data.subarray(base, base + n), g.frameStart)
        b.dryR.set(data.subarray(base + n, base + 2 * n), g.frameStart)
        b.reverb.set(data.subarray(base + 2 * n, base + 3 * n), g.frameStart)
        b.delay.set(data.subarray(base + 3 * n, base + 4 * n), g.frameStart)
      })
      readback.unmap()
    }
  } finally {
    const validation = await device.popErrorScope()
    const oom = await device.popErrorScope()
    for (const b of created) b.destroy()
    const err = validation ?? oom
    if (err) throw new GpuRenderError(`WebGPU error while rendering a batch: ${err.message}`)
  }
  return { buses, stats: stats() }
}
