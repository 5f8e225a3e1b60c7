/**
 * A standalone state-variable filter (TPT / Cytomic form: Zavalishin, "The Art of VA Filter Design";
 * Simper, "Linear trapezoidal integrated SVF"). 12 dB/octave low-pass, band-pass and high-pass from one
 * structure; the cutoff is pre-warped (g = tan(π·fc/fs)), so the −3 dB point of the Butterworth low-pass
 * (Q = 1/√2) falls exactly at fc. The voice kernel inlines the same equations.
 */
import { FLUSH } from './math.js'

/** The three responses. */
export type SvfMode = 'lp' | 'bp' | 'hp'

/** One state-variable filter channel. */
export class Svf {
  private ic1 = 0
  private ic2 = 0
  private a1 = 0
  private a2 = 0
  private a3 = 0
  private k = Math.SQRT2

  constructor(readonly sampleRate: number, cutoff: number, q = Math.SQRT1_2, public mode: SvfMode = 'lp') {
    this.set(cutoff, q)
  }

  /** Sets cutoff (Hz, clamped to 0.49·fs) and resonance Q. */
  set(cutoff: number, q = 1 / this.k): void {
    const fc = Math.min(Math.max(cutoff, 1), 0.49 * this.sampleRate)
    const g = Math.tan((Math.PI * fc) / this.sampleRate)
    this.k = 1 / q
    this.a1 = 1 / (1 + g * (g + this.k))
    this.a2 = g * this.a1
    this.a3 = g * this.a2
  }

  /** Filters one sample. */
  process(v0: number): number {
    const v3 = v0 - this.ic2
    const v1 = this.a1 * this.ic1 + this.a2 * v3
    const v2 = this.ic2 + this.a2 * this.ic1 + this.a3 * v3
    let ic1 = 2 * v1 - this.ic1
    let ic2 = 2 * v2 - this.ic2
    if (ic1 < FLUSH && ic1 > -FLUSH) ic1 = 0
    if (ic2 < FLUSH && ic2 > -FLUSH) ic2 = 0
    this.ic1 = ic1
    this.ic2 = ic2
    return this.mode === 'lp' ? v2 : this.mode === 'bp' ? this.k * v1 : v0 - this.k * v1 - v2
  }

  /** Filters a buffer in place. */
  processBuffer(buf: Float32Array | Float64Array): void {
    for (let i = 0; i < buf.length; i++) buf[i] = this.process(buf[i])
  }

  /** Clears the state. */
  reset(): void {
    this.ic1 = 0
    this.ic2 = 0
  }
}
