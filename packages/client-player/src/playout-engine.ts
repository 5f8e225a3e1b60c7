/**
 * The consumer side of the streamed-audio output: what the AudioWorklet runs for every 128-frame block. It
 * pops decoded audio off a {@link RingBuffer}, follows server time through the page's clock mapping, keeps a
 * jitter buffer of the target depth by nudging the playback rate (linear-interpolation resampling within a
 * small bound), plays silence on underrun, and fades in after every start. Delay errors beyond `skipAboveMs`
 * are corrected at once rather than slewed for minutes: excess delay is skipped, and the delay a raised
 * target depth asks for is added as one short pause — both with a fade-out and a fade-in.
 * No globals: it runs in Node tests as well as in the worklet.
 */
import type { RingBuffer } from '@auralis/ring-buffer'
import { resolveJitterOptions, rateStep, startFrame, wantedDelayFrames, WindowMax, type JitterOptions, type ResolvedJitterOptions } from './jitter-buffer.js'
import { PLAYOUT_STATE, setStat, addStat, readStat, STAT } from './playout-stats.js'

/** Options of a {@link PlayoutEngine}. */
export interface PlayoutEngineOptions extends JitterOptions {
  /** Channels of the stream (interleaved in the ring). */
  readonly channels: number
  /** Sample rate of the stream. */
  readonly streamRate: number
  /** Sample rate of the AudioContext. */
  readonly outputRate: number
  /** Length of fade-ins after a start, a skip or an underrun, in output frames (default 256 ≈ 5 ms). */
  readonly fadeFrames?: number
}

/** Frames of decoded audio the engine keeps at hand for interpolation (far more than one block needs). */
const LOCAL_FRAMES = 4096
/** Underrun tail: the last output value decays with this time constant (frames) instead of stepping to 0. */
const TAIL_FRAMES = 24
/** Observed lateness needed (s) before the engine lowers the delay or skips. */
const SETTLE_S = 1
/**
 * How long (s) the audio must stay behind server time before playback starts behind it: a replayed backlog
 * arrives in pieces over a few ms, and starting at its oldest frame would put playback seconds behind.
 */
const LATE_START_S = 0.25
/** A raised target depth asking for more than this much extra delay (s) is added as one pause. */
const HOLD_ABOVE_S = 0.02

/** Plays a stream of decoded audio from a ring, in step with server time. */
export class PlayoutEngine {
  private o: ResolvedJitterOptions
  private readonly ch: number
  private readonly fadeFrames: number
  private ring: RingBuffer<Float32Array> | undefined
  private pending: { ring: RingBuffer<Float32Array>; frame: number } | undefined
  /** Stream frame of the ring's next element. */
  private ringFrame = 0
  private readonly local: Float32Array[]
  /** Stream frame of `local[c][0]`, and frames held there (all before `ringFrame`; the gap up to it plays as silence). */
  private localStart = 0
  private localLen = 0
  /** The playhead, stream frames (fractional while resampling). */
  private pos = 0
  private state: 'idle' | 'buffering' | 'playing' = 'idle'
  private clockMs: number | undefined
  private readonly lateness: WindowMax
  private fadeLeft = 0
  private readonly lastOut: Float64Array
  private generation = 0
  /** Set by an underrun until playback restarts: silence played meanwhile counts as underrun. */
  private starved = false
  /** Output frames still to hold (pause) before playing on. */
  private holdLeft = 0
  /** The target depth changed: check once whether the delay must grow at once. */
  private retarget = false
  private correcting = false
  /** A start before the first frame received plays silence up to it: the fade-in begins at this frame. */
  private fadeAt = Infinity
  /** Context time since which the audio has been enough to start, but only behind server time. */
  private lateSince: number | undefined

  /**
   * @param options - Stream format and jitter tuning.
   * @param stats - The statistics block to write (see playout-stats).
   * @throws RangeError for bad options.
   */
  constructor(options: PlayoutEngineOptions, private readonly stats: Int32Array) {
    this.o = resolveJitterOptions(options)
    if (!(Number.isInteger(options.channels) && options.channels >= 1 && options.channels <= 8)) throw new RangeError(`channels must be 1…8, got ${options.channels}`)
    for (const k of ['streamRate', 'outputRate'] as const) {
      if (!(options[k] >= 3000 && options[k] <= 384_000)) throw new RangeError(`${k} must be 3000…384000 Hz, got ${options[k]}`)
    }
    this.ch = options.channels
    this.rateOf = { stream: options.streamRate, output: options.outputRate }
    this.fadeFrames = Math.max(1, options.fadeFrames ?? 256)
    this.local = Array.from({ length: this.ch }, () => new Float32Array(LOCAL_FRAMES))
    this.lastOut = new Float64Array(this.ch)
    this.lateness = new WindowMax(this.o.windowMs / 2000)
  }

  private readonly rateOf: { readonly stream: number; readonly output: number }

  /** Uses `ring`, whose first element is stream frame `frame`, from the next block on (the old one fades out). */
  attach(ring: RingBuffer<Float32Array>, frame: number): void {
    this.pending = { ring, frame }
  }

  /** Sets the clock mapping: the stream time (ms since epoch) heard at context time `t` is `t · 1000 + offsetMs`. */
  setClock(offsetMs: number): void {
    if (Number.isFinite(offsetMs)) this.clockMs = offsetMs
  }

  /**
   * Changes the target depth.
   * @throws RangeError when out of range (see {@link JitterOptions}).
   */
  setBufferMs(ms: number): void {
    this.o = resolveJitterOptions({ ...this.o, bufferMs: ms })
    this.retarget = true
  }

  /**
   * Renders one block into `out` (one array per output channel; a mono stream feeds every channel).
   * @param contextFrame - The context frame of the block's first sample (`currentFrame` in a worklet).
   */
  render(out: Float32Array[], contextFrame: number): void {
    const n = out[0].length
    if (this.pending) {
      if (this.state === 'playing' && this.ring) this.play(out, n, 1, true)
      else this.silenceOut(out, 0)
      const p = this.pending
      this.pending = undefined
      this.ring = p.ring
      this.ringFrame = p.frame
      this.localStart = p.frame
      this.localLen = 0
      this.state = 'buffering'
      this.lateness.reset()
      setStat(this.stats, STAT.generation, ++this.generation)
      this.publishState()
      return
    }
    const ring = this.ring
    if (!ring || this.clockMs === undefined) {
      this.silenceOut(out, 0)
      return
    }
    const sr = this.rateOf.stream
    const t = contextFrame / this.rateOf.output
    const s = this.serverFrame(contextFrame)
    const dataEnd = this.ringFrame + Math.floor(ring.availableRead / this.ch)
    const bufferFrames = (this.o.bufferMs / 1000) * sr
    this.lateness.add(t, s - dataEnd)
    if (this.state !== 'playing') {
      const held = this.localLen > 0 ? this.localStart : this.ringFrame
      let at = startFrame(s, held, dataEnd, bufferFrames)
      const behind = at !== undefined && dataEnd - s < bufferFrames
      if (!behind) this.lateSince = undefined
      else if (this.lateSince === undefined) this.lateSince = t
      if (behind && t - this.lateSince! < LATE_START_S) at = undefined
      if (at === undefined) {
        this.silenceOut(out, 0)
        if (this.starved) addStat(this.stats, STAT.underrunFrames, n)
        this.publish(s, dataEnd, 1, bufferFrames, this.pos)
        return
      }
      this.starved = false
      this.lateSince = undefined
      if (at > held) addStat(this.stats, STAT.skippedFrames, Math.min(at, dataEnd) - held)
      this.seek(at)
      this.pos = at
      this.state = 'playing'
      this.fadeAt = at < this.ringFrame ? this.ringFrame : Infinity
      // The start took the lateness now into account; what was seen before (an outage) must not steer on.
      this.lateness.reset()
      this.lateness.add(t, s - dataEnd)
      this.fadeLeft = this.fadeFrames
      if (readStat(this.stats, STAT.firstAudioContextFrame) < 0) setStat(this.stats, STAT.firstAudioContextFrame, contextFrame)
      this.publishState()
    }
    const pos0 = this.pos
    const delay = s - pos0
    let wanted = wantedDelayFrames(this.lateness.value, bufferFrames)
    const settled = this.lateness.span(t) >= SETTLE_S
    if (!settled) wanted = Math.max(wanted, delay)
    const excess = delay - wanted
    if (this.holdLeft > 0) {
      this.silenceOut(out, 0)
      this.holdLeft -= n
      if (this.holdLeft <= 0) this.fadeLeft = this.fadeFrames
      this.publish(s, dataEnd, 1, bufferFrames, pos0)
      return
    }
    const raise = this.retarget && settled
    if (raise) this.retarget = false
    if (raise && -excess / sr > HOLD_ABOVE_S) {
      // The target depth was raised by more than the slew handles quickly: pause once for the difference, with fades.
      this.play(out, n, 1, true)
      this.holdLeft = Math.round((-excess / sr) * this.rateOf.output)
      addStat(this.stats, STAT.holds, 1)
      this.publish(s, dataEnd, 1, bufferFrames, pos0)
      return
    }
    if (settled && (excess / sr) * 1000 > this.o.skipAboveMs) {
      // Far too much delay (after a reconnect that replayed a backlog, say): drop it at once, with a fade.
      this.play(out, n, 1, true)
      const target = Math.floor(this.pos + excess)
      addStat(this.stats, STAT.skips, 1)
      addStat(this.stats, STAT.skippedFrames, target - Math.floor(this.pos))
      this.seek(target)
      this.pos = target
      this.fadeLeft = this.fadeFrames
      this.publish(s, dataEnd, 1, bufferFrames, pos0)
      return
    }
    const step = rateStep((wanted - delay) / sr, this.correcting, this.o)
    this.correcting = step.correcting
    const rate = step.rate
    this.play(out, n, rate, false)
    this.publish(s, dataEnd, rate, bufferFrames, pos0)
  }

  /** Stream frame that follows server time at a context frame. */
  private serverFrame(contextFrame: number): number {
    return (((contextFrame / this.rateOf.output) * 1000 + (this.clockMs ?? 0)) / 1000) * this.rateOf.stream
  }

  /** Plays one block at `rate` from the playhead (fading out over the block when `fadeOut`); handles underrun. */
  private play(out: Float32Array[], n: number, rate: number, fadeOut: boolean): void {
    const step = (rate * this.rateOf.stream) / this.rateOf.output
    this.seek(Math.floor(this.pos))
    this.fill(Math.floor(this.pos + (n - 1) * step) + 2)
    const ch = this.ch
    const outs = out.length
    let i = 0
    for (; i < n; i++) {
      const p = this.pos - this.localStart
      const j = p | 0
      if (j + 1 >= this.localLen) break
      const f = p - j
      // The fade-in starts with the first sample that draws on a received frame (interpolation included).
      if (this.localStart + j + 1 >= this.fadeAt) {
        this.fadeAt = Infinity
        this.fadeLeft = this.fadeFrames
      }
      let g = 1
      if (this.fadeLeft > 0) g = 1 - this.fadeLeft-- / this.fadeFrames
      if (fadeOut) g *= 1 - (i + 1) / n
      for (let c = 0; c < outs; c++) {
        const b = this.local[c < ch ? c : 0]
        const a = b[j]
        out[c][i] = (a + f * (b[j + 1] - a)) * g
      }
      this.pos += step
    }
    if (i < n) {
      // Underrun: the buffer ran dry. Decay from the last value (no step, no click) and wait for audio.
      for (let c = 0; c < outs; c++) this.lastOut[c] = i > 0 ? out[c][i - 1] : this.lastOut[c]
      this.silenceOut(out, i)
      if (!fadeOut) {
        addStat(this.stats, STAT.underruns, 1)
        addStat(this.stats, STAT.underrunFrames, n - i)
        this.starved = true
      }
      this.state = 'buffering'
      this.publishState()
      return
    }
    for (let c = 0; c < outs; c++) this.lastOut[c] = out[c][n - 1]
  }

  /** Writes silence from sample `from`, decaying from the last output value first. */
  private silenceOut(out: Float32Array[], from: number): void {
    const n = out[0].length
    for (let c = 0; c < out.length; c++) {
      let v = this.lastOut[c] ?? 0
      const o = out[c]
      for (let i = from; i < n; i++) {
        v *= Math.exp(-1 / TAIL_FRAMES)
        o[i] = Math.abs(v) < 1e-7 ? (v = 0) : v
      }
      this.lastOut[c] = v
    }
  }

  /** Moves the start of the local window to stream frame `f` (dropping older frames, discarding from the ring as needed). */
  private seek(f: number): void {
    if (this.localLen > 0) {
      const d = f - this.localStart
      if (d <= 0) return
      if (d < this.localLen) {
        for (const b of this.local) b.copyWithin(0, d, this.localLen)
        this.localLen -= d
        this.localStart = f
        return
      }
      this.localStart += this.localLen
      this.localLen = 0
    }
    if (f > this.ringFrame && this.ring) {
      const k = Math.min(f - this.ringFrame, Math.floor(this.ring.availableRead / this.ch))
      this.ring.discard(k * this.ch)
      this.ringFrame += k
    }
    this.localStart = f
  }

  /** Fills the local window up to (not including) stream frame `end`: silence before the ring's data, then the ring. */
  private fill(end: number): void {
    const ring = this.ring
    if (!ring) return
    while (this.localStart + this.localLen < end && this.localLen < LOCAL_FRAMES) {
      const next = this.localStart + this.localLen
      const room = LOCAL_FRAMES - this.localLen
      if (next < this.ringFrame) {
        const k = Math.min(this.ringFrame - next, end - next, room)
        for (const b of this.local) b.fill(0, this.localLen, this.localLen + k)
        this.localLen += k
        continue
      }
      let avail = Math.floor(ring.availableRead / this.ch)
      if (next > this.ringFrame) {
        const d = Math.min(next - this.ringFrame, avail)
        ring.discard(d * this.ch)
        this.ringFrame += d
        avail -= d
        if (next > this.ringFrame) return
      }
      const want = Math.min(end - next, room, avail)
      if (want <= 0) return
      const k = ring.popFrames(this.local, want, this.localLen)
      if (k <= 0) return
      this.ringFrame += k
      this.localLen += k
    }
  }

  private publishState(): void {
    setStat(this.stats, STAT.state, PLAYOUT_STATE[this.state])
  }

  /** Publishes the block's figures, taken at its start (server frame `s`, playhead `pos`). */
  private publish(s: number, dataEnd: number, rate: number, bufferFrames: number, pos: number): void {
    const st = this.stats
    const dev = Math.round((rate - 1) * 1e9)
    setStat(st, STAT.rateDeviationPpb, dev)
    if (Math.abs(dev) > readStat(st, STAT.maxRateDeviationPpb)) setStat(st, STAT.maxRateDeviationPpb, Math.abs(dev))
    setStat(st, STAT.depthFrames, dataEnd - pos)
    setStat(st, STAT.delayFrames, s - pos)
    setStat(st, STAT.wantedDelayFrames, wantedDelayFrames(this.lateness.value, bufferFrames))
  }
}
