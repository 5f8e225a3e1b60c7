/**
 * The tracker's time grid: 16th-note steps, 4 to a beat, with swing on off-beat eighths.
 *
 * Swing is a piecewise-linear warp of each beat: the first eighth `[0, ½)` of the beat is stretched to
 * `[0, r)` and the second `[½, 1)` squeezed into `[r, 1)`, where `r` is the swing ratio (0.5 = straight,
 * 0.67 ≈ triplet feel). So the 16th step on the second eighth of a beat (step 2 of 4) lands at `r` of the
 * beat, and the 16ths between move proportionally (step 1 at `r/2`, step 3 at `r + (1 − r)/2`): onsets stay
 * in order for every ratio in the protocol's range (0.5–0.75) and the warp is exactly invertible.
 */

/** Steps per beat of the tracker grid (16th notes). */
export const STEPS_PER_BEAT = 4

/** Swung position of `beats` (a time in beats from the section start, ≥ 0) for swing ratio `swing`. */
export function swingBeats(beats: number, swing: number): number {
  if (swing === 0.5) return beats
  const whole = Math.floor(beats)
  const frac = beats - whole
  const warped = frac < 0.5 ? frac * 2 * swing : swing + (frac - 0.5) * 2 * (1 - swing)
  return whole + warped
}

/** Inverse of {@link swingBeats}: the straight position in beats of a swung time in beats. */
export function unswingBeats(beats: number, swing: number): number {
  if (swing === 0.5) return beats
  // Guard against 2.9999999997 (float noise just under a beat line) being read as the end of beat 2.
  let whole = Math.floor(beats)
  if (beats - whole > 1 - 1e-9) whole += 1
  const frac = Math.max(0, beats - whole)
  const straight = frac < swing ? frac / (2 * swing) : 0.5 + (frac - swing) / (2 * (1 - swing))
  return whole + straight
}

/** Section-relative time in seconds of tracker step `step` (0-based; `step` may equal the step count). */
export function stepTime(step: number, bpm: number, swing: number): number {
  return (swingBeats(step / STEPS_PER_BEAT, swing) * 60) / bpm
}

/**
 * The grid position of a section-relative time in seconds, in (fractional) straight steps: the inverse of
 * {@link stepTime}. Round it to find the nearest step.
 */
export function timeToStep(seconds: number, bpm: number, swing: number): number {
  return unswingBeats((seconds * bpm) / 60, swing) * STEPS_PER_BEAT
}
