/**
 * A small seeded PRNG (sfc32, seeded through splitmix32) with a serialisable state.
 * Everything random in this package draws from one of these, never from `Math.random`.
 */

/** The serialisable state of an {@link Rng}: four unsigned 32-bit integers. */
export type RngState = [number, number, number, number]

function splitmix32(x: number): () => number {
  let s = x >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** A seeded pseudo-random generator (sfc32). Same seed, same sequence, on every platform. */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  /** Creates a generator from a 32-bit seed, or restores one from a saved {@link RngState}. */
  constructor(seed: number | RngState) {
    if (Array.isArray(seed)) {
      ;[this.a, this.b, this.c, this.d] = seed.map((v) => v >>> 0) as RngState
    } else {
      const mix = splitmix32(seed)
      this.a = mix()
      this.b = mix()
      this.c = mix()
      this.d = mix()
      for (let i = 0; i < 12; i++) this.uint32()
    }
  }

  /** The next unsigned 32-bit integer. */
  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0
    this.d = (this.d + 1) >>> 0
    this.a = (this.b ^ (this.b >>> 9)) >>> 0
    this.b = (this.c + (this.c << 3)) >>> 0
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0
    this.c = (this.c + t) >>> 0
    return t
  }

  /** A float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  /** A float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next()
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  /** An index into `weights` drawn in proportion to the weights (all zero: uniform). */
  weighted(weights: readonly number[]): number {
    let total = 0
    for (const w of weights) total += w > 0 ? w : 0
    if (total <= 0) return this.int(weights.length)
    let r = this.next() * total
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] > 0 ? weights[i] : 0
      if (r < w) return i
      r -= w
    }
    return weights.length - 1
  }

  /** A new independent generator seeded from this one (advances this one by one draw). */
  fork(): Rng {
    return new Rng(this.uint32())
  }

  /** The current state, for snapshots. */
  state(): RngState {
    return [this.a, this.b, this.c, this.d]
  }
}

/** Creates a seeded generator. */
export function createRng(seed: number | RngState): Rng {
  return new Rng(seed)
}
