/**
 * Beat ↔ seconds with swing. Positions are in beats from the section start; swing moves each off-beat
 * eighth from half-way through its beat to `swing` of the way (0.5 = straight, 0.67 ≈ triplet feel),
 * stretching the first half of the beat and compressing the second linearly (16ths follow).
 */

/** Maps a straight position in beats to its swung position in beats. */
export function swingBeat(pos: number, swing: number): number {
  const b = Math.floor(pos)
  const u = pos - b
  return b + (u <= 0.5 ? u * 2 * swing : swing + (u - 0.5) * 2 * (1 - swing))
}

/** Rounds seconds to the microsecond, so section JSON stays short and exact. */
export function roundTime(x: number): number {
  return Math.round(x * 1e6) / 1e6
}

/** Seconds per beat at `bpm`. */
export function secondsPerBeat(bpm: number): number {
  return 60 / bpm
}
