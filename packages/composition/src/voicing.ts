/**
 * Voice leading: among the voicings of a chord in a register, the one that moves least (total semitones)
 * from the previous voicing, with a pull towards a register centre so voicings do not drift.
 */

/** All voicings of `chromas` (close position and drop-2, every inversion) with the lowest note in [lo, hi]. */
export function voicingCandidates(chromas: readonly number[], lo: number, hi: number, top: number): number[][] {
  const out: number[][] = []
  const n = chromas.length
  for (let inv = 0; inv < n; inv++) {
    for (let bottom = lo; bottom <= hi; bottom++) {
      if (bottom % 12 !== chromas[inv]) continue
      const close: number[] = [bottom]
      for (let k = 1; k < n; k++) {
        const c = chromas[(inv + k) % n]
        let p = close[k - 1] + 1
        while (p % 12 !== c) p++
        close.push(p)
      }
      if (close[n - 1] <= top) out.push(close)
      if (n >= 4) {
        const drop = close.slice()
        drop[n - 2] -= 12
        drop.sort((a, b) => a - b)
        if (drop[0] >= lo - 5 && drop[n - 1] <= top) out.push(drop)
      }
    }
  }
  return out
}

/** Total semitone motion between two voicings (sorted, voice by voice; unequal sizes compare by nearest). */
export function motion(a: readonly number[], b: readonly number[]): number {
  if (a.length === b.length) {
    let s = 0
    for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i])
    return s
  }
  let s = 0
  for (const x of b) {
    let best = Infinity
    for (const y of a) best = Math.min(best, Math.abs(x - y))
    s += best
  }
  return s
}

/**
 * Picks the voicing of `chromas` nearest to `previous` (least total motion), or nearest the register
 * `centre` when there is no previous voicing. Ties resolve to the first candidate (deterministic).
 */
export function voiceLead(previous: readonly number[] | null | undefined, candidates: readonly number[][], centre: number): number[] {
  let best = candidates[0]
  let bestCost = Infinity
  for (const v of candidates) {
    let mean = 0
    for (const x of v) mean += x
    mean /= v.length
    const drift = Math.abs(mean - centre)
    const cost = previous && previous.length ? motion(previous, v) + 0.35 * drift : drift
    if (cost < bestCost) {
      bestCost = cost
      best = v
    }
  }
  return best.slice()
}
