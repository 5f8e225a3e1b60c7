/**
 * Look-ahead peak limiter with a guaranteed ceiling.
 *
 * For every frame the required gain is `min(1, ceiling / peak)` (peak over channels, stereo-linked). The gain
 * applied to the frame that leaves the delay line is the moving average, over L frames, of a sliding
 * minimum (window L + 1) of the required gains, after a release smoother that can only lower values. Every
 * term of that average has the outgoing frame's required gain inside its window, so the applied gain never
 * exceeds it: the output peak is ≤ ceiling by construction (a final clamp only guards rounding). The
 * attack is the L-frame ramp of the moving average (no distortion from instant gain jumps); latency is L
 * frames, which the renderers compensate. Input below the ceiling passes bit-exactly (gain exactly 1).
 */

/** Limiter settings. */
export interface LimiterOptions {
  /** Ceiling in dBFS. Default −1. */
  ceilingDb?: number
  /** Look-ahead (and attack) time, seconds. Default 0.0025. */
  lookahead?: number
  /** Release time constant, seconds. Default 0.12. */
  release?: number
}

/** A multichannel look-ahead limiter. */
export class LookaheadLimiter {
  /** Latency in frames (= look-ahead). */
  readonly latency: number
  /** The linear ceiling. */
  readonly ceiling: number
  private readonly target: number
  private readonly delay: Float64Array[]
  private dpos = 0
  // sliding minimum: monotonic deque over a ring of (frame index, value)
  private readonly dqIdx: Float64Array
  private readonly dqVal: Float64Array
  private dqHead = 0
  private dqLen = 0
  private readonly dqCap: number
  // release smoother and moving average
  private rel = 1
  private readonly relCoef: number
  private readonly box: Float64Array
  private boxPos = 0
  private boxSum: number
  private n = 0

  constructor(readonly sampleRate: number, readonly channels: number, options: LimiterOptions = {}) {
    this.ceiling = Math.pow(10, (options.ceilingDb ?? -1) / 20)
    // Aim slightly below the ceiling so that f32 rounding of the output can never cross it.
    this.target = this.ceiling * 0.9995
    this.latency = Math.max(1, Math.round((options.lookahead ?? 0.0025) * sampleRate))
    this.delay = Array.from({ length: channels }, () => new Float64Array(this.latency))
    this.dqCap = this.latency + 2
    this.dqIdx = new Float64Array(this.dqCap)
    this.dqVal = new Float64Array(this.dqCap)
    this.relCoef = 1 - Math.exp(-1 / ((options.release ?? 0.12) * sampleRate))
    this.box = new Float64Array(this.latency).fill(1)
    this.boxSum = this.latency
  }

  /**
   * Processes `frames` frames: `input[c][i]` → `output[c][i]` (delayed by {@link latency}). Input and output
   * may not alias.
   */
  process(input: Float64Array[], output: Float64Array[], frames: number): void {
    const L = this.latency
    const ch = this.channels
    const target = this.target
    const clamp = this.target
    const cap = this.dqCap
    const dqIdx = this.dqIdx
    const dqVal = this.dqVal
    for (let i = 0; i < frames; i++) {
      const idx = this.n++
      let peak = 0
      for (let c = 0; c < ch; c++) {
        const a = Math.abs(input[c][i])
        if (a > peak) peak = a
      }
      const req = peak > target ? target / peak : 1
      // push into the monotonic deque (values increasing from head to tail)
      let head = this.dqHead
      let len = this.dqLen
      while (len > 0) {
        let tail = head + len - 1
        if (tail >= cap) tail -= cap
        if (dqVal[tail] >= req) len--
        else break
      }
      let slot = head + len
      if (slot >= cap) slot -= cap
      dqIdx[slot] = idx
      dqVal[slot] = req
      len++
      while (dqIdx[head] < idx - L) {
        if (++head === cap) head = 0
        len--
      }
      this.dqHead = head
      this.dqLen = len
      const windowMin = dqVal[head]
      // release smoother (never above the window minimum)
      let rel = this.rel + (1 - this.rel) * this.relCoef
      if (rel > 1 - 1e-9) rel = 1
      if (windowMin < rel) rel = windowMin
      this.rel = rel
      // moving average over L frames
      this.boxSum += rel - this.box[this.boxPos]
      this.box[this.boxPos] = rel
      if (++this.boxPos === L) {
        this.boxPos = 0
        let s = 0
        for (let j = 0; j < L; j++) s += this.box[j]
        this.boxSum = s
      }
      let g = this.boxSum / L
      if (g > 1) g = 1
      // delay line and output
      const p = this.dpos
      for (let c = 0; c < ch; c++) {
        const line = this.delay[c]
        let y = line[p] * g
        if (y > clamp) y = clamp
        else if (y < -clamp) y = -clamp
        output[c][i] = y
        line[p] = input[c][i]
      }
      this.dpos = p + 1 === L ? 0 : p + 1
    }
  }
}
