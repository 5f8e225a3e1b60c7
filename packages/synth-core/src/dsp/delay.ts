/**
 * Tempo-synced ping-pong delay: the echo time is `beats`·60/bpm (a dotted eighth by default), glides to a
 * new tempo over ~50 ms (no clicks), and the feedback path is low-passed. Mono in, stereo out.
 */
import { FLUSH } from './math.js'

/** Delay settings. */
export interface DelayOptions {
  /** Echo time in beats. Default 0.75 (dotted eighth). */
  beats?: number
  /** Feedback 0–0.95. Default 0.38. */
  feedback?: number
  /** Low-pass pole in the feedback path, 0–0.95. Default 0.3. */
  damping?: number
  /** Longest echo, seconds. Default 2. */
  maxSeconds?: number
}

/** The ping-pong delay. */
export class PingPongDelay {
  private readonly bufL: Float64Array
  private readonly bufR: Float64Array
  private readonly size: number
  private w = 0
  private time = 0
  private target = 0
  private lpL = 0
  private lpR = 0
  private readonly beats: number
  private readonly feedback: number
  private readonly damp: number
  private readonly glide: number

  constructor(readonly sampleRate: number, bpm: number, options: DelayOptions = {}) {
    this.beats = options.beats ?? 0.75
    this.feedback = Math.min(0.95, Math.max(0, options.feedback ?? 0.38))
    this.damp = Math.min(0.95, Math.max(0, options.damping ?? 0.3))
    this.size = Math.ceil((options.maxSeconds ?? 2) * sampleRate) + 4
    this.bufL = new Float64Array(this.size)
    this.bufR = new Float64Array(this.size)
    this.glide = 1 - Math.exp(-1 / (0.05 * sampleRate))
    this.setTempo(bpm)
    this.time = this.target
  }

  /** Sets the tempo; the echo time glides to the new value. */
  setTempo(bpm: number): void {
    const frames = (this.beats * 60 * this.sampleRate) / Math.max(1, bpm)
    this.target = Math.min(this.size - 3, Math.max(1, frames))
  }

  /** Processes `n` frames of mono `input`, adding the wet stereo echoes into `outL` / `outR`. */
  process(input: Float64Array, outL: Float64Array, outR: Float64Array, n: number): void {
    const bufL = this.bufL
    const bufR = this.bufR
    const size = this.size
    const fb = this.feedback
    const damp = this.damp
    const undamp = 1 - damp
    let w = this.w
    let time = this.time
    let lpL = this.lpL
    let lpR = this.lpR
    const target = this.target
    const glide = this.glide
    for (let i = 0; i < n; i++) {
      time += (target - time) * glide
      let rp = w - time
      if (rp < 0) rp += size
      const i0 = rp | 0
      const frac = rp - i0
      const i1 = i0 + 1 === size ? 0 : i0 + 1
      const yl = bufL[i0] + (bufL[i1] - bufL[i0]) * frac
      const yr = bufR[i0] + (bufR[i1] - bufR[i0]) * frac
      lpL = undamp * yl + damp * lpL
      lpR = undamp * yr + damp * lpR
      if (lpL < FLUSH && lpL > -FLUSH) lpL = 0
      if (lpR < FLUSH && lpR > -FLUSH) lpR = 0
      bufL[w] = input[i] + fb * lpR
      bufR[w] = fb * lpL
      if (++w === size) w = 0
      outL[i] += yl
      outR[i] += yr
    }
    this.w = w
    this.time = time
    this.lpL = lpL
    this.lpR = lpR
  }
}
