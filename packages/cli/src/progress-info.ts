/** Progress of a render, as plain numbers (computed from the clock at the edge, in the pipeline). */

/** Where a render stands. */
export interface RenderProgress {
  /** Fraction done, 0–1 (monotonic; exactly 1 at the end). */
  fraction: number
  /** Seconds of output done. */
  done: number
  /** Seconds of output in all. */
  total: number
  /** Wall-clock milliseconds since the render started. */
  elapsedMs: number
  /** Output seconds per wall-clock second (× real time); 0 until measurable. */
  speed: number
  /** Estimated wall-clock seconds left (Infinity until measurable, 0 at the end). */
  etaSeconds: number
}

/** Builds a {@link RenderProgress} from seconds done, seconds in all and elapsed milliseconds. */
export function progressAt(done: number, total: number, elapsedMs: number): RenderProgress {
  const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1
  const speed = elapsedMs > 0 ? done / (elapsedMs / 1000) : 0
  const etaSeconds = fraction >= 1 ? 0 : speed > 0 ? (total - done) / speed : Infinity
  return { fraction, done, total, elapsedMs, speed, etaSeconds }
}
