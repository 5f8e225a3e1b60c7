/**
 * Tempo maps: seconds ↔ ticks when the tempo changes from section to section.
 */

/** One tempo segment: from `tick` (and `time` seconds) on, the tempo is `bpm`. */
export interface TempoPoint {
  /** Tick where the tempo takes effect. */
  readonly ticks: number
  /** Seconds from the start of the file where it takes effect. */
  readonly time: number
  /** Beats (quarter notes) per minute. */
  readonly bpm: number
}

/** Index of the last point at or before `value` of `key` (points sorted by it; 0 if none). */
function segmentAt(points: readonly TempoPoint[], key: 'ticks' | 'time', value: number): number {
  let lo = 0
  let hi = points.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (points[mid][key] <= value) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Seconds → (fractional) ticks through a tempo map. */
export function secondsToTicks(points: readonly TempoPoint[], ppq: number, seconds: number): number {
  const p = points[segmentAt(points, 'time', seconds)]
  return p.ticks + ((seconds - p.time) * p.bpm * ppq) / 60
}

/** Ticks → seconds through a tempo map. */
export function ticksToSeconds(points: readonly TempoPoint[], ppq: number, ticks: number): number {
  const p = points[segmentAt(points, 'ticks', ticks)]
  return p.time + ((ticks - p.ticks) * 60) / (p.bpm * ppq)
}

/** Microseconds per quarter note as written in a MIDI set-tempo event for `bpm`. */
export function microsecondsPerBeat(bpm: number): number {
  return Math.round(60_000_000 / bpm)
}

/**
 * The plainest bpm a set-tempo value stands for: MIDI stores whole microseconds per beat, so 70 bpm is written
 * as 857143 µs (69.99997… bpm). This returns the value with the fewest decimals (up to 3) that is written the
 * same way — 70 here — or the exact quotient when there is none.
 */
export function bpmFromMicroseconds(us: number): number {
  for (const scale of [1, 10, 100, 1000]) {
    const bpm = Math.round((60_000_000 / us) * scale) / scale
    if (microsecondsPerBeat(bpm) === us) return bpm
  }
  return 60_000_000 / us
}
