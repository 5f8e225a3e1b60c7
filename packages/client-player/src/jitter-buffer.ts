/**
 * Jitter-buffer and playback-rate math for the streamed-audio output. Pure functions and plain data: they
 * run in Node tests and inside the AudioWorklet (no globals).
 *
 * Positions are in stream frames (frames since the stream's epoch at the stream's sample rate):
 * - `S`: the frame that should be heard now to follow server time (from the player's clock mapping);
 * - `pos`: the frame actually being played (the playhead);
 * - `dataEnd`: the frame after the last one received.
 * The playout delay is `S − pos` (how far playback runs behind server time) and the buffer depth is
 * `dataEnd − pos`. Audio that arrives late relative to server time (`S − dataEnd`, the "lateness") is what the
 * delay must cover: the wanted delay is the worst recent lateness plus the target depth, never below 0 — so
 * on a good network playback sits exactly on server time (every listener hears the same moment), and on a
 * late or jittery one it falls back just enough to keep `bufferMs` of audio in hand.
 */

/** Default target buffer depth (ms): with the demo server's ≈0.6 s audio lead, the playhead stays on server time. */
export const DEFAULT_BUFFER_MS = 300

/** Default bound of the playback-rate deviation (±0.5 %: ≈8.6 cents, below what a listener notices while it slews). */
export const DEFAULT_MAX_RATE_DEVIATION = 0.005

/** Tuning of the rate controller and the jitter buffer. */
export interface JitterOptions {
  /** Target depth: audio kept in hand ahead of the playhead (ms). */
  readonly bufferMs: number
  /** Largest playback-rate deviation from 1 (default {@link DEFAULT_MAX_RATE_DEVIATION}). */
  readonly maxRateDeviation?: number
  /** Rate deviation per second of delay error (default 0.5: 10 ms of error → 0.5 %, settling in ≈2 s). */
  readonly rateGain?: number
  /**
   * Hysteresis of the rate control: a correction starts when the delay error exceeds `deadbandMs` (default 5)
   * and runs until it is below `settleMs` (default 0.5); in between the rate is exactly 1, so clock-estimate
   * noise of a few ms is not chased and the audio is played sample for sample most of the time.
   */
  readonly deadbandMs?: number
  /** See `deadbandMs`. */
  readonly settleMs?: number
  /** A delay this much (ms) above the wanted one is dropped at once (skip with a fade) instead of slewed (default 250). */
  readonly skipAboveMs?: number
  /** Length of the lateness window (ms) the wanted delay is taken from (default 3000). */
  readonly windowMs?: number
}

/** Resolved {@link JitterOptions} with every default filled in. */
export type ResolvedJitterOptions = Required<JitterOptions>

/**
 * Fills in the defaults of {@link JitterOptions} and checks them.
 * @throws RangeError for a non-finite or out-of-range value.
 */
export function resolveJitterOptions(o: JitterOptions): ResolvedJitterOptions {
  const r: ResolvedJitterOptions = {
    bufferMs: o.bufferMs,
    maxRateDeviation: o.maxRateDeviation ?? DEFAULT_MAX_RATE_DEVIATION,
    rateGain: o.rateGain ?? 0.5,
    deadbandMs: o.deadbandMs ?? 5,
    settleMs: o.settleMs ?? 0.5,
    skipAboveMs: o.skipAboveMs ?? 250,
    windowMs: o.windowMs ?? 3000,
  }
  if (!(Number.isFinite(r.bufferMs) && r.bufferMs >= 20 && r.bufferMs <= 10_000)) throw new RangeError(`bufferMs must be 20…10000 ms, got ${o.bufferMs}`)
  if (!(r.maxRateDeviation >= 0 && r.maxRateDeviation <= 0.05)) throw new RangeError(`maxRateDeviation must be 0…0.05, got ${r.maxRateDeviation}`)
  if (!(r.rateGain > 0 && Number.isFinite(r.rateGain))) throw new RangeError(`rateGain must be positive, got ${r.rateGain}`)
  if (!(r.deadbandMs >= 0 && Number.isFinite(r.deadbandMs))) throw new RangeError(`deadbandMs must be ≥ 0, got ${r.deadbandMs}`)
  if (!(r.settleMs >= 0 && r.settleMs <= r.deadbandMs)) throw new RangeError(`settleMs must be within 0…deadbandMs, got ${r.settleMs}`)
  if (!(r.skipAboveMs > r.deadbandMs && Number.isFinite(r.skipAboveMs))) throw new RangeError(`skipAboveMs must exceed deadbandMs, got ${r.skipAboveMs}`)
  if (!(r.windowMs >= 100 && Number.isFinite(r.windowMs))) throw new RangeError(`windowMs must be ≥ 100, got ${r.windowMs}`)
  return r
}

/** One step of the rate control: the rate to play at and whether a correction is under way. */
export interface RateStep {
  /** Playback rate (exactly 1 when not correcting). */
  readonly rate: number
  /** Whether a correction is under way. */
  readonly correcting: boolean
}

/**
 * Playback rate that moves the actual delay toward the wanted one, with hysteresis: a correction starts
 * when |error| exceeds `deadbandMs` and stops once it is below `settleMs`; while correcting the rate is
 * `1 − gain · error`, clamped to `1 ± maxRateDeviation`. A positive error (too little delay) slows playback.
 * @param errorS - Wanted delay minus actual delay, seconds.
 * @param correcting - Whether the previous step was correcting.
 */
export function rateStep(errorS: number, correcting: boolean, o: ResolvedJitterOptions): RateStep {
  const a = Math.abs(errorS)
  if (!Number.isFinite(errorS)) return { rate: 1, correcting: false }
  const on = correcting ? a > o.settleMs / 1000 : a > o.deadbandMs / 1000
  if (!on) return { rate: 1, correcting: false }
  const dev = Math.max(-o.maxRateDeviation, Math.min(o.maxRateDeviation, o.rateGain * errorS))
  return { rate: 1 - dev, correcting: true }
}

/**
 * The playout delay (frames) that keeps `bufferFrames` in hand given the worst recent lateness `S − dataEnd`
 * (frames): `max(0, lateness + buffer)`. Never negative: playback never runs ahead of server time.
 */
export function wantedDelayFrames(worstLatenessFrames: number, bufferFrames: number): number {
  return Math.max(0, worstLatenessFrames + bufferFrames)
}

/**
 * Where playback (re)starts after buffering, or `undefined` to keep waiting. Starts on server time (`S`) as
 * soon as `bufferFrames` lie ahead of it (frames before the first received one play as silence, frames in
 * the past are dropped); when the audio runs late, starts `bufferFrames` before the newest frame held once
 * that many are buffered — behind server time, by as much as the network needs.
 * @param s - Frame that follows server time now.
 * @param readFrame - Oldest frame held (next to play).
 * @param dataEnd - Frame after the newest one held.
 * @param bufferFrames - Target depth in frames.
 */
export function startFrame(s: number, readFrame: number, dataEnd: number, bufferFrames: number): number | undefined {
  if (dataEnd - s >= bufferFrames) return Math.round(s)
  if (dataEnd - readFrame >= bufferFrames) return Math.round(dataEnd - bufferFrames)
  return undefined
}

/**
 * A running maximum over a sliding time window, in two buckets of half the window each (O(1), no
 * allocation): the value reported covers between half and the whole window of recent samples.
 */
export class WindowMax {
  private cur = -Infinity
  private prev = -Infinity
  private bucketStart: number | undefined
  private firstAt: number | undefined

  /** @param halfWindow - Length of one bucket, in the caller's time unit. */
  constructor(private readonly halfWindow: number) {}

  /** Adds a sample taken at time `t` (non-decreasing). */
  add(t: number, v: number): void {
    if (this.bucketStart === undefined) this.bucketStart = this.firstAt = t
    if (t - this.bucketStart >= 2 * this.halfWindow) {
      this.prev = -Infinity
      this.cur = -Infinity
      this.bucketStart = t
    } else if (t - this.bucketStart >= this.halfWindow) {
      this.prev = this.cur
      this.cur = -Infinity
      this.bucketStart += this.halfWindow
    }
    if (v > this.cur) this.cur = v
  }

  /** The maximum over the window (−Infinity before any sample). */
  get value(): number {
    return Math.max(this.cur, this.prev)
  }

  /** How long (time units) samples have been gathered since the last reset. */
  span(t: number): number {
    return this.firstAt === undefined ? 0 : t - this.firstAt
  }

  /** Forgets every sample. */
  reset(): void {
    this.cur = this.prev = -Infinity
    this.bucketStart = this.firstAt = undefined
  }
}
