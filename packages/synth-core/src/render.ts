/// <reference types="@webgpu/types" />
/**
 * Public renderers: offline (whole input → planar buffers) and streaming (block by block, same samples).
 */
import type { NoteEvent, Section } from '@auralis/protocol'
import { Engine, type EngineOptions } from './engine.js'
import { getPreset, type Preset } from './presets.js'
import { isSectionInput, sectionList, toTimeline, type RenderInput } from './timeline.js'
import { buildVoice } from './voice/build.js'
import { CpuVoice, MAX_BLOCK } from './voice/kernel.js'
import { chooseOfflineBackend, renderOfflineGpu } from './webgpu/offline.js'

/** Rendered audio: planar channels. */
export interface RenderedAudio {
  /** One Float32Array per channel, all the same length. */
  readonly channels: Float32Array[]
  readonly sampleRate: number
}

/** Options of {@link renderOffline}. */
export interface OfflineOptions extends EngineOptions {
  /**
   * Seconds rendered after the last voice has ended (or the last section, whichever is later), for reverb
   * and delay tails. Default 2.5.
   */
  tail?: number
  /**
   * The device for `backend: 'webgpu'` or `'auto'` (Node: from the `webgpu` package; browsers default to
   * `navigator.gpu`'s). `'auto'` uses it only when its adapter is not a fallback (software) adapter.
   */
  device?: GPUDevice
}

/** Renders input to planar Float32Arrays on the CPU (synchronous). Throws for a non-CPU backend. */
export function renderOfflineSync(input: RenderInput, options: OfflineOptions = {}): RenderedAudio {
  const engine = new Engine(options)
  const timeline = toTimeline(input, engine.sampleRate)
  engine.schedule(timeline)
  const tail = options.tail ?? 2.5
  if (!Number.isFinite(tail) || tail < 0) throw new RangeError(`tail must be a number ≥ 0 (got ${options.tail})`)
  const length = Math.max(engine.lastVoiceEnd, timeline.sectionsEnd) + Math.round(tail * engine.sampleRate)
  return { channels: engine.render(length), sampleRate: engine.sampleRate }
}

/**
 * Renders sections (placed at their `startTime` relative to the earliest one) or note events (at `t`) to
 * planar Float32Arrays. Asynchronous so that GPU backends fit the same call; the CPU backend does its work
 * synchronously inside.
 */
export async function renderOffline(input: RenderInput, options: OfflineOptions = {}): Promise<RenderedAudio> {
  if (options.backend === 'webgpu' || options.backend === 'auto') {
    const choice = await chooseOfflineBackend(options)
    if (choice.device) return renderOfflineGpu(choice.device, input, options)
    return renderOfflineSync(input, { ...options, backend: 'cpu' })
  }
  return renderOfflineSync(input, options)
}

/** Options of {@link createStreamRenderer}. */
export interface StreamOptions extends EngineOptions {
  /** Default frames per {@link StreamRenderer.render} call. Default 128. */
  blockSize?: number
  /**
   * Stream time origin, in the sections' `startTime` clock (seconds since the stream epoch). Default: the
   * startTime of the first section scheduled.
   */
  origin?: number
}

/** A block-by-block renderer whose output equals {@link renderOffline} of the same input. */
export interface StreamRenderer {
  readonly sampleRate: number
  readonly channels: number
  readonly blockSize: number
  /** Output frames rendered so far (= the stream time in frames). */
  readonly position: number
  /** The time origin in section-clock seconds (undefined until set or until a section is scheduled). */
  readonly origin: number | undefined
  /**
   * Schedules sections (placed at `startTime − origin`) or note events (at `at + t` seconds of stream time,
   * `at` default 0). Schedule before the render position reaches a note, or it starts late.
   */
  schedule(input: RenderInput, options?: { at?: number }): void
  /** Renders the next `frames` (default `blockSize`) frames as planar Float32Arrays. */
  render(frames?: number): Float32Array[]
  /** Renders into caller-provided channel arrays at `offset`. */
  renderInto(out: Float32Array[], offset: number, frames: number): void
}

/** Creates a streaming renderer. */
export function createStreamRenderer(options: StreamOptions = {}): StreamRenderer {
  const engine = new Engine(options)
  const blockSize = options.blockSize ?? 128
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`blockSize must be an integer ≥ 1 (got ${options.blockSize})`)
  let origin = options.origin
  return {
    sampleRate: engine.sampleRate,
    channels: engine.channels,
    blockSize,
    get position() {
      return engine.position
    },
    get origin() {
      return origin
    },
    schedule(input: RenderInput, opts: { at?: number } = {}) {
      if (isSectionInput(input)) {
        const list = sectionList(input)
        if (list.length === 0) return
        if (origin === undefined) origin = Math.min(...list.map((s: Section) => s.startTime))
        engine.schedule(toTimeline(list, engine.sampleRate, { origin }))
      } else {
        engine.schedule(toTimeline(input as readonly NoteEvent[], engine.sampleRate, { offset: opts.at ?? 0 }))
      }
    },
    render(frames = blockSize) {
      return engine.render(frames)
    },
    renderInto(out, offset, frames) {
      engine.renderInto(out, offset, frames)
    },
  }
}

/**
 * Renders one note of a preset (or instrument id) dry: mono, no pan, effects or limiter — the voice
 * kernel's output. `seconds` is the held length; the result runs until the voice ends.
 */
export function renderNote(
  preset: Preset | string,
  note: number,
  velocity: number,
  seconds: number,
  options: { sampleRate?: number; seed?: number; instrument?: string } = {},
): Float32Array {
  const sampleRate = options.sampleRate ?? 48000
  const p = typeof preset === 'string' ? getPreset(preset) : preset
  const instrument = typeof preset === 'string' ? preset : options.instrument
  const voice = buildVoice(p, { frame: 0, note, vel: velocity, gate: Math.max(1, Math.round(seconds * sampleRate)) }, {
    sampleRate, seed: options.seed ?? 0, instrument,
  })
  const out = new Float32Array(voice.length)
  const kernel = new CpuVoice(voice, sampleRate)
  const tmp = new Float64Array(MAX_BLOCK)
  for (let i = 0; i < voice.length; i += MAX_BLOCK) {
    const n = Math.min(MAX_BLOCK, voice.length - i)
    kernel.render(tmp, n)
    for (let j = 0; j < n; j++) out[i + j] = tmp[j]
  }
  return out
}
