/**
 * The engine: schedules voices, renders them through a backend into buses, then runs the effects (tempo-
 * synced ping-pong delay, FDN reverb), the master gain and the look-ahead limiter on the mix.
 *
 * Determinism: voices are rendered in a canonical order (start frame, instrument, note, velocity, gate,
 * then scheduling order), every state advances per frame, and tempo changes apply at exact frames, so the
 * output does not depend on how rendering is split into blocks: a stream equals the offline render sample
 * for sample. The limiter's look-ahead is compensated: output frame f is the mix at frame f.
 */
import { INSTRUMENT_IDS, type InstrumentId } from '@auralis/protocol'
import { resolveBackend, type Backend, type BackendKind, type VoiceBuses, type VoiceProcessor } from './backend.js'
import { PingPongDelay, type DelayOptions } from './dsp/delay.js'
import { LookaheadLimiter, type LimiterOptions } from './dsp/limiter.js'
import { FdnReverb, type ReverbOptions } from './dsp/reverb.js'
import { PRESETS, type Preset } from './presets.js'
import type { TempoChange, Timeline } from './timeline.js'
import { buildVoice } from './voice/build.js'
import type { VoiceDescriptor } from './voice/descriptor.js'
import { MAX_BLOCK } from './voice/kernel.js'

/** Effect settings. */
export interface EffectsOptions {
  /** Reverb return level (the presets set the sends); 0 disables the reverb. Default 1. */
  reverb?: number
  /** Delay return level; 0 disables the delay. Default 0.5. */
  delay?: number
  /** The master limiter (ceiling −1 dBFS). Default true. */
  limiter?: boolean
  /** Linear gain before the limiter. Default 1. */
  masterGain?: number
  /** Reverb tuning. */
  reverbOptions?: ReverbOptions
  /** Delay tuning. */
  delayOptions?: DelayOptions
  /** Limiter tuning. */
  limiterOptions?: LimiterOptions
}

/** Options common to the offline and the stream renderer. */
export interface EngineOptions {
  /** Default 48000. */
  sampleRate?: number
  /** 1 or 2. Default 2. */
  channels?: number
  /** Default 'cpu'. */
  backend?: BackendKind | Backend
  /** Global seed mixed into every voice's seed. Default 0. */
  seed?: number
  /** Tempo for the delay until a section sets one. Default 120. */
  bpm?: number
  /** Replace presets per instrument. */
  presets?: Partial<Record<InstrumentId, Preset>>
  /** Effects and limiter. */
  effects?: EffectsOptions
}

interface Pending {
  readonly voice: VoiceDescriptor
  readonly key: readonly number[]
}

const INST_INDEX: Record<string, number> = Object.fromEntries(INSTRUMENT_IDS.map((id, i) => [id, i]))
const DELAY_TO_REVERB = 0.25

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}

/** The rendering engine behind {@link renderOffline} and {@link createStreamRenderer}. */
export class Engine {
  readonly sampleRate: number
  readonly channels: number
  readonly backend: Backend
  /** Frames of look-ahead latency the engine compensates internally. */
  readonly latency: number
  private readonly seed: number
  private readonly presets: Record<InstrumentId, Preset>
  private readonly processor: VoiceProcessor
  private readonly reverb: FdnReverb | null
  private readonly delay: PingPongDelay | null
  private readonly limiter: LookaheadLimiter | null
  private readonly reverbLevel: number
  private readonly delayLevel: number
  private readonly masterGain: number
  private pending: Pending[] = []
  private pendingDirty = false
  private active: VoiceDescriptor[] = []
  private tempos: TempoChange[] = []
  private tempoIndex = 0
  private seq = 0
  private inPos = 0
  private outPos = 0
  private lastEnd = 0
  private readonly buses: VoiceBuses
  private readonly mix: Float64Array[]
  private readonly limited: Float64Array[]
  private readonly wetL = new Float64Array(MAX_BLOCK)
  private readonly wetR = new Float64Array(MAX_BLOCK)

  constructor(options: EngineOptions = {}) {
    this.sampleRate = options.sampleRate ?? 48000
    if (!Number.isFinite(this.sampleRate) || this.sampleRate < 8000 || this.sampleRate > 384000) {
      throw new RangeError(`sampleRate must be 8000–384000 (got ${options.sampleRate})`)
    }
    this.channels = options.channels ?? 2
    if (this.channels !== 1 && this.channels !== 2) throw new RangeError(`channels must be 1 or 2 (got ${options.channels})`)
    this.backend = resolveBackend(options.backend)
    this.seed = (options.seed ?? 0) >>> 0
    this.presets = { ...PRESETS, ...(options.presets ?? {}) } as Record<InstrumentId, Preset>
    this.processor = this.backend.createProcessor(this.sampleRate)
    const fx = options.effects ?? {}
    this.reverbLevel = fx.reverb ?? 1
    this.delayLevel = fx.delay ?? 0.5
    this.masterGain = fx.masterGain ?? 1
    this.reverb = this.reverbLevel > 0 ? new FdnReverb(this.sampleRate, fx.reverbOptions) : null
    this.delay = this.delayLevel > 0 ? new PingPongDelay(this.sampleRate, options.bpm ?? 120, fx.delayOptions) : null
    this.limiter = fx.limiter === false ? null : new LookaheadLimiter(this.sampleRate, this.channels, fx.limiterOptions)
    this.latency = this.limiter ? this.limiter.latency : 0
    const buf = (): Float64Array => new Float64Array(MAX_BLOCK)
    this.buses = { dryL: buf(), dryR: buf(), reverb: buf(), delay: buf() }
    this.mix = Array.from({ length: this.channels }, buf)
    this.limited = Array.from({ length: this.channels }, buf)
  }

  /** Output frames rendered so far. */
  get position(): number {
    return this.outPos
  }

  /** The frame after which every voice scheduled so far is silent (effects tails not included). */
  get lastVoiceEnd(): number {
    return this.lastEnd
  }

  /** Voices sounding or scheduled but not yet started. */
  get voiceCount(): { active: number; pending: number } {
    return { active: this.active.length, pending: this.pending.length }
  }

  /**
   * Adds a timeline. Notes whose start has already been rendered begin late (at the current frame, with
   * the phase they would have had) — schedule ahead of the render position to avoid that.
   */
  schedule(timeline: Timeline): void {
    for (const n of timeline.notes) {
      const preset = this.presets[n.inst]
      const voice = buildVoice(preset, n, { sampleRate: this.sampleRate, seed: this.seed, instrument: n.inst })
      this.pending.push({ voice, key: [n.frame, INST_INDEX[n.inst], n.note, n.vel, n.gate, this.seq++] })
      if (voice.start + voice.length > this.lastEnd) this.lastEnd = voice.start + voice.length
    }
    if (timeline.notes.length > 0) this.pendingDirty = true
    if (timeline.tempos.length > 0) {
      const rest = this.tempos.slice(this.tempoIndex).concat(timeline.tempos)
      rest.sort((a, b) => a.frame - b.frame)
      this.tempos = rest
      this.tempoIndex = 0
    }
  }

  /** Renders the next `frames` output frames into `out[c][offset ..]`. */
  renderInto(out: Float32Array[], offset: number, frames: number): void {
    if (!Number.isInteger(frames) || frames < 0) throw new RangeError(`frames must be an integer ≥ 0 (got ${frames})`)
    if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`offset must be an integer ≥ 0 (got ${offset})`)
    if (out.length < this.channels) throw new RangeError(`need ${this.channels} output channels (got ${out.length})`)
    for (let c = 0; c < this.channels; c++) {
      if (out[c].length < offset + frames) throw new RangeError(`output channel ${c} is shorter than offset + frames (${offset + frames})`)
    }
    const endOut = this.outPos + frames
    const lat = this.latency
    while (this.inPos < endOut + lat) {
      const a = this.inPos
      const n = Math.min(MAX_BLOCK, endOut + lat - a)
      this.processBlock(a, n)
      const src = this.limiter ? this.limited : this.mix
      // Internal frame a + i is output frame a − lat + i; frames before the first output are dropped.
      const skip = Math.max(0, this.outPos - (a - lat))
      const dst = offset + (a - lat + skip) - (endOut - frames)
      for (let c = 0; c < this.channels; c++) {
        const s = src[c]
        const o = out[c]
        for (let i = skip; i < n; i++) o[dst + i - skip] = s[i]
      }
      this.inPos = a + n
    }
    this.outPos = endOut
  }

  /** Renders the next `frames` output frames as new planar arrays. */
  render(frames: number): Float32Array[] {
    if (!Number.isInteger(frames) || frames < 0) throw new RangeError(`frames must be an integer ≥ 0 (got ${frames})`)
    const out = Array.from({ length: this.channels }, () => new Float32Array(frames))
    this.renderInto(out, 0, frames)
    return out
  }

  private processBlock(a: number, n: number): void {
    const end = a + n
    // Activate voices starting in this block, in canonical order.
    if (this.pendingDirty) {
      this.pending.sort((x, y) => compareKeys(x.key, y.key))
      this.pendingDirty = false
    }
    let take = 0
    while (take < this.pending.length && this.pending[take].voice.start < end) take++
    if (take > 0) {
      const started = this.pending.splice(0, take)
      if (this.active.length === 0 || started[0].voice.start >= this.active[this.active.length - 1].start) {
        for (const p of started) this.active.push(p.voice)
      } else {
        // Late scheduling: merge keeping start order.
        for (const p of started) this.active.push(p.voice)
        this.active.sort((x, y) => x.start - y.start)
      }
    }

    const { dryL, dryR, reverb, delay } = this.buses
    dryL.fill(0, 0, n)
    dryR.fill(0, 0, n)
    reverb.fill(0, 0, n)
    delay.fill(0, 0, n)
    if (this.active.length > 0) {
      this.processor.process(this.active, a, n, this.buses)
      let w = 0
      for (const v of this.active) {
        if (v.start + v.length <= end) this.processor.retire(v)
        else this.active[w++] = v
      }
      this.active.length = w
    }

    // Effects on the mix. Tempo changes split the block at their exact frames.
    const wetL = this.wetL
    const wetR = this.wetR
    if (this.delay) {
      wetL.fill(0, 0, n)
      wetR.fill(0, 0, n)
      let i = 0
      while (i < n) {
        while (this.tempoIndex < this.tempos.length && this.tempos[this.tempoIndex].frame <= a + i) {
          this.delay.setTempo(this.tempos[this.tempoIndex++].bpm)
        }
        let run = n - i
        if (this.tempoIndex < this.tempos.length) run = Math.min(run, this.tempos[this.tempoIndex].frame - (a + i))
        if (i === 0 && run === n) this.delay.process(delay, wetL, wetR, n)
        else this.delay.process(delay.subarray(i, i + run), wetL.subarray(i, i + run), wetR.subarray(i, i + run), run)
        i += run
      }
      const dl = this.delayLevel
      for (let j = 0; j < n; j++) {
        const l = wetL[j] * dl
        const r = wetR[j] * dl
        dryL[j] += l
        dryR[j] += r
        reverb[j] += (l + r) * DELAY_TO_REVERB
      }
    } else {
      while (this.tempoIndex < this.tempos.length && this.tempos[this.tempoIndex].frame < end) this.tempoIndex++
    }
    if (this.reverb) {
      wetL.fill(0, 0, n)
      wetR.fill(0, 0, n)
      this.reverb.process(reverb, wetL, wetR, n)
      const rl = this.reverbLevel
      for (let j = 0; j < n; j++) {
        dryL[j] += wetL[j] * rl
        dryR[j] += wetR[j] * rl
      }
    }
    const g = this.masterGain
    if (this.channels === 2) {
      const [l, r] = this.mix
      for (let j = 0; j < n; j++) {
        l[j] = dryL[j] * g
        r[j] = dryR[j] * g
      }
    } else {
      const m = this.mix[0]
      const gm = g * Math.SQRT1_2
      for (let j = 0; j < n; j++) m[j] = (dryL[j] + dryR[j]) * gm
    }
    if (this.limiter) this.limiter.process(this.mix, this.limited, n)
  }
}
