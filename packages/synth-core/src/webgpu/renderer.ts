/// <reference types="@webgpu/types" />
/**
 * The WebGPU host module: {@link createGpuRenderer} takes a `GPUDevice` (Node's `webgpu` package or the browser's
 * `navigator.gpu`) and renders many independent streams in one submission. The GPU renders the voices and mixes
 * them per stream into four buses (dry L/R, reverb and delay sends); the effects (delay, reverb), the master gain
 * and the limiter then run on the CPU through the engine, as they do for the CPU backend.
 */
import type { InstrumentId } from '@auralis/protocol'
import { Engine } from '../engine.js'
import { PRESETS, type Preset } from '../presets.js'
import type { OfflineOptions, RenderedAudio } from '../render.js'
import { toTimeline, type RenderInput, type Timeline } from '../timeline.js'
import { buildVoice } from '../voice/build.js'
import type { VoiceDescriptor } from '../voice/descriptor.js'
import { dispatchBatch, type BatchStats, type DispatchLimits, type StreamBuses } from './dispatch.js'
import { compileKernels, type Kernels } from './kernels.js'
import { replayBackend } from './replay.js'

/** Per-stream render options: those of {@link renderOffline} except the backend and sample rate. */
export type BatchStreamOptions = Omit<OfflineOptions, 'backend' | 'sampleRate' | 'device'>

/** One stream of a batch: sections or note events, and its options. */
export interface BatchStream {
  readonly input: RenderInput
  readonly options?: BatchStreamOptions
}

/** Options of {@link createGpuRenderer}. */
export interface GpuRendererOptions extends DispatchLimits {
  /** Sample rate of every stream. Default 48000. */
  readonly sampleRate?: number
}

/** Renders batches of streams on one device. */
export interface GpuRenderer {
  readonly device: GPUDevice
  readonly sampleRate: number
  /**
   * Renders independent streams (e.g. one per station): voices of all streams in one submission (per output
   * group; see {@link DispatchLimits.maxOutputBytes}), then each stream's effects and limiter on the CPU. Each
   * result equals `renderOffline(stream.input, stream.options)` on the CPU within 1e-3.
   */
  renderBatch(streams: readonly BatchStream[]): Promise<RenderedAudio[]>
  /** Renders only the GPU part: each stream's voices (starts relative to the stream) mixed into its buses. */
  renderBuses(streams: readonly (readonly VoiceDescriptor[])[]): Promise<StreamBuses[]>
  /** What the last batch took (undefined before the first). */
  readonly lastStats: BatchStats | undefined
}

interface PreparedStream {
  readonly timeline: Timeline
  readonly voices: VoiceDescriptor[]
  readonly options: BatchStreamOptions
}

function prepare(stream: BatchStream, index: number, sampleRate: number): PreparedStream {
  if (typeof stream !== 'object' || stream === null || !('input' in stream)) {
    throw new TypeError(`stream ${index}: expected { input, options? }`)
  }
  const options = stream.options ?? {}
  const rate = (options as { sampleRate?: number }).sampleRate
  if (rate !== undefined && rate !== sampleRate) {
    throw new RangeError(`stream ${index}: sampleRate ${rate} differs from the renderer's ${sampleRate}`)
  }
  const tail = options.tail ?? 2.5
  if (!Number.isFinite(tail) || tail < 0) throw new RangeError(`stream ${index}: tail must be a number ≥ 0 (got ${options.tail})`)
  const timeline = toTimeline(stream.input, sampleRate)
  const presets = { ...PRESETS, ...(options.presets ?? {}) } as Record<InstrumentId, Preset>
  const seed = (options.seed ?? 0) >>> 0
  const voices = timeline.notes.map((n) => buildVoice(presets[n.inst], n, { sampleRate, seed, instrument: n.inst }))
  return { timeline, voices, options }
}

function finish(p: PreparedStream, buses: StreamBuses, sampleRate: number): RenderedAudio {
  const engine = new Engine({ ...p.options, sampleRate, backend: replayBackend(buses) })
  engine.schedule(p.timeline)
  const length = Math.max(engine.lastVoiceEnd, p.timeline.sectionsEnd) + Math.round((p.options.tail ?? 2.5) * sampleRate)
  return { channels: engine.render(length), sampleRate }
}

/** Compiles the kernels on `device` and returns a renderer. Throws {@link GpuRenderError} if WebGPU refuses them. */
export async function createGpuRenderer(device: GPUDevice, options: GpuRendererOptions = {}): Promise<GpuRenderer> {
  if (!device || typeof (device as GPUDevice).createComputePipelineAsync !== 'function') {
    throw new TypeError('createGpuRenderer needs a GPUDevice')
  }
  const sampleRate = options.sampleRate ?? 48000
  if (!Number.isFinite(sampleRate) || sampleRate < 8000 || sampleRate > 384000) {
    throw new RangeError(`sampleRate must be 8000–384000 (got ${options.sampleRate})`)
  }
  const kernels: Kernels = await compileKernels(device)
  let lastStats: BatchStats | undefined
  const renderBuses = async (streams: readonly (readonly VoiceDescriptor[])[]): Promise<StreamBuses[]> => {
    const { buses, stats } = await dispatchBatch(device, kernels, sampleRate, streams, options)
    lastStats = stats
    return buses
  }
  return {
    device,
    sampleRate,
    get lastStats() {
      return lastStats
    },
    renderBuses,
    async renderBatch(streams) {
      if (!Array.isArray(streams)) throw new TypeError('renderBatch expects an array of { input, options? }')
      const prepared = streams.map((s, i) => prepare(s, i, sampleRate))
      const buses = await renderBuses(prepared.map((p) => p.voices))
      return prepared.map((p, i) => finish(p, buses[i], sampleRate))
    },
  }
}

const cache = new WeakMap<GPUDevice, Map<number, Promise<GpuRenderer>>>()

/** A renderer per (device, sample rate), created once (the kernels compile once per device). */
export function sharedGpuRenderer(device: GPUDevice, sampleRate: number): Promise<GpuRenderer> {
  let bySr = cache.get(device)
  if (!bySr) cache.set(device, (bySr = new Map()))
  let r = bySr.get(sampleRate)
  if (!r) {
    r = createGpuRenderer(device, { sampleRate })
    r.catch(() => bySr.delete(sampleRate))
    bySr.set(sampleRate, r)
  }
  return r
}
