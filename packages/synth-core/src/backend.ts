/**
 * The backend seam. A backend renders voices (the parallel, per-voice part of the engine) into four buses;
 * the engine then runs the effects and the limiter on the mix. `'cpu'` is the TypeScript reference
 * ({@link cpuBackend}); `'webgpu'` runs the WGSL kernels, which are asynchronous, so only `renderOffline`
 * (with a `device`) and `createGpuRenderer` use them — synchronous renderers throw
 * {@link BackendUnavailableError} for it; `'auto'` picks WebGPU only on a real (non-fallback) adapter in
 * `renderOffline`, and resolves to the CPU here.
 */
import { CpuVoice, MAX_BLOCK } from './voice/kernel.js'
import { VOICE_OFFSETS as O, type VoiceDescriptor } from './voice/descriptor.js'

/** Backend names accepted by the renderers. */
export type BackendKind = 'cpu' | 'webgpu' | 'auto'

/** The buses voices render into (index 0 = the block's first frame). */
export interface VoiceBuses {
  readonly dryL: Float64Array
  readonly dryR: Float64Array
  /** Mono reverb send. */
  readonly reverb: Float64Array
  /** Mono delay send. */
  readonly delay: Float64Array
}

/** Per-render voice state owned by a backend. */
export interface VoiceProcessor {
  /**
   * Renders `voices` (in the engine's canonical order) over absolute frames `[from, from + frames)`,
   * `frames ≤ MAX_BLOCK`, adding `out·panL`, `out·panR`, `out·sendReverb`, `out·sendDelay` into the buses.
   * Calls are contiguous in time; a voice's state persists until {@link retire}.
   */
  process(voices: readonly VoiceDescriptor[], from: number, frames: number, buses: VoiceBuses): void
  /** The voice has ended and will not be passed again. */
  retire(voice: VoiceDescriptor): void
}

/** A voice-rendering backend. */
export interface Backend {
  readonly name: string
  createProcessor(sampleRate: number): VoiceProcessor
}

/** Thrown when a backend is asked for but cannot be used. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError'
  constructor(readonly backend: string, message: string) {
    super(message)
  }
}

class CpuProcessor implements VoiceProcessor {
  private readonly states = new Map<VoiceDescriptor, CpuVoice>()
  private readonly tmp = new Float64Array(MAX_BLOCK)

  constructor(private readonly sampleRate: number) {}

  process(voices: readonly VoiceDescriptor[], from: number, frames: number, buses: VoiceBuses): void {
    const end = from + frames
    const tmp = this.tmp
    const { dryL, dryR, reverb, delay } = buses
    for (const v of voices) {
      let state = this.states.get(v)
      let P: Float64Array
      let start: number
      if (state) {
        P = state.p
        start = P[O.start]
      } else {
        start = v.start
        if (start >= end) continue
        state = new CpuVoice(v, this.sampleRate, Math.max(0, from - start))
        this.states.set(v, state)
        P = state.p
      }
      const a = from > start ? from : start
      const vEnd = start + P[O.length]
      const b = end < vEnd ? end : vEnd
      if (b <= a) continue
      const n = b - a
      state.render(tmp, n)
      const off = a - from
      const pl = P[O.panL]
      const pr = P[O.panR]
      const sr = P[O.sendReverb]
      const sd = P[O.sendDelay]
      for (let j = 0; j < n; j++) {
        const x = tmp[j]
        const o = off + j
        dryL[o] += x * pl
        dryR[o] += x * pr
        reverb[o] += x * sr
        delay[o] += x * sd
      }
    }
  }

  retire(voice: VoiceDescriptor): void {
    this.states.delete(voice)
  }
}

/** The CPU reference backend. */
export const cpuBackend: Backend = Object.freeze({
  name: 'cpu',
  createProcessor: (sampleRate: number): VoiceProcessor => new CpuProcessor(sampleRate),
})

/** Resolves a backend name (or passes a backend object through). */
export function resolveBackend(backend: BackendKind | Backend | undefined): Backend {
  if (backend === undefined || backend === 'cpu' || backend === 'auto') return cpuBackend
  if (backend === 'webgpu') {
    throw new BackendUnavailableError(
      'webgpu',
      'the WebGPU backend is not available to synchronous renderers (renderOfflineSync, createStreamRenderer): use renderOffline(input, { backend: "webgpu", device }) or createGpuRenderer(device).renderBatch(streams)',
    )
  }
  if (typeof backend === 'object' && backend !== null && typeof backend.createProcessor === 'function') return backend
  throw new RangeError(`unknown backend ${JSON.stringify(backend)} (expected "cpu", "webgpu" or "auto")`)
}
