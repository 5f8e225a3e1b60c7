/**
 * The playout statistics block: an `Int32Array` over a SharedArrayBuffer that the AudioWorklet writes with
 * `Atomics.store` after each 128-frame block and the page reads with `Atomics.load` (integers only, so every
 * read is whole).
 */

/** Word index of each figure in the statistics block. */
export const STAT = {
  /** 0 idle (no audio yet), 1 buffering, 2 playing. */
  state: 0,
  /** Underrun episodes: the buffer ran dry while playing (silence followed). */
  underruns: 1,
  /** Output frames played as silence because of underruns. */
  underrunFrames: 2,
  /** Forward skips (too much delay dropped at once, with a fade). */
  skips: 3,
  /** Stream frames dropped by skips and by (re)starting on server time. */
  skippedFrames: 4,
  /** (playback rate − 1) × 1e9. */
  rateDeviationPpb: 5,
  /** Buffer depth: stream frames held ahead of the playhead. */
  depthFrames: 6,
  /** Playout delay: stream frames the playhead runs behind server time. */
  delayFrames: 7,
  /** The delay the jitter buffer aims for, stream frames. */
  wantedDelayFrames: 8,
  /** Context frame (`currentFrame`) of the first block that played received audio; −1 before. */
  firstAudioContextFrame: 9,
  /** Ring generation being played (the page starts a new ring after an overrun or a long gap). */
  generation: 10,
  /** Largest rate deviation seen, ppb (absolute). */
  maxRateDeviationPpb: 11,
  /** Holds: far too little delay added at once (a pause with fades), e.g. after the target depth was raised. */
  holds: 12,
} as const

/** Words in the statistics block. */
export const STAT_WORDS = 13

/** Playout state codes (word {@link STAT}.state). */
export const PLAYOUT_STATE = { idle: 0, buffering: 1, playing: 2 } as const

/** Creates a zeroed statistics block (shared when SharedArrayBuffer is available). */
export function createStatsBlock(): Int32Array {
  const buf = typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(STAT_WORDS * 4) : new ArrayBuffer(STAT_WORDS * 4)
  const a = new Int32Array(buf)
  a[STAT.firstAudioContextFrame] = -1
  return a
}

/** Reads one figure (atomically when the block is shared). */
export function readStat(block: Int32Array, index: number): number {
  return block.buffer instanceof ArrayBuffer ? block[index] : Atomics.load(block, index)
}

/** Adds to one figure. */
export function addStat(block: Int32Array, index: number, v: number): void {
  if (block.buffer instanceof ArrayBuffer) block[index] += v
  else Atomics.add(block, index, v)
}

/** Sets one figure (clamped to int32). */
export function setStat(block: Int32Array, index: number, v: number): void {
  const x = Math.max(-2147483648, Math.min(2147483647, Math.round(v)))
  if (block.buffer instanceof ArrayBuffer) block[index] = x
  else Atomics.store(block, index, x)
}
