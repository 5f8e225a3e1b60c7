/** The fade-out at the end of a WAV render, so the cut at `--seconds` does not click. */

/** Length of the fade-out: 1 s, or a tenth of a shorter render. */
export function fadeFrames(totalFrames: number, sampleRate: number): number {
  return Math.min(Math.round(sampleRate), Math.floor(totalFrames / 10))
}

/**
 * Applies the linear fade-out over the last `fade` frames of a `total`-frame render to one block that starts
 * at frame `start` (in place). Frame `total − fade + i` is scaled by `(fade − i) / fade`, so the last frame is
 * scaled by `1 / fade` and the one after it would be silent.
 */
export function applyFadeOut(block: readonly Float32Array[], start: number, total: number, fade: number): void {
  if (fade <= 0) return
  const from = total - fade
  const n = block[0]?.length ?? 0
  if (start + n <= from) return
  for (const ch of block) {
    for (let i = Math.max(0, from - start); i < n; i++) ch[i] *= (total - (start + i)) / fade
  }
}
